/// A node of the dependency graph over (scope, name) (LANGUAGE.md §10).
enum GraphNode: Hashable, Sendable {
    case slot(ScopeKind, Int)
    case block(ScopeKind, Int)
    case function(Int)
    case table(Int)
    case constraint(Int)
    case violations
    /// Expressions outside the plan (`--print`, REPL lines): never part of a cycle.
    case query
}

/// Edges are recorded while names are resolved; cycles are found with
/// Tarjan's strongly-connected-components algorithm, iteratively so that a
/// long chain of names cannot exhaust the stack.
struct DependencyGraph {
    private(set) var edges: [GraphNode: [(to: GraphNode, span: Span)]] = [:]
    private(set) var order: [GraphNode] = []
    /// For each node, the nodes that read it, and whether they read it of
    /// the same subject (`revenue` inside `for person`) or possibly of
    /// another (`m.revenue for m in members`, company names read by a
    /// person). What-if evaluation uses this to recompute only what a
    /// changed input can reach.
    private(set) var readers: [GraphNode: [(reader: GraphNode, sameSubject: Bool)]] = [:]

    /// While a function body is re-checked for one call's argument types
    /// (`Checker.instantiate`), its edges are already in the graph.
    var frozen = false

    mutating func add(_ from: GraphNode, _ to: GraphNode, at span: Span, sameSubject: Bool = false) {
        if frozen { return }
        readers[to, default: []].append((from, sameSubject))
        if edges[from] == nil { order.append(from) }
        edges[from, default: []].append((to, span))
        if edges[to] == nil {
            edges[to] = []
            order.append(to)
        }
    }

    /// Every cycle as the list of its nodes in edge order (first node repeated
    /// at the end), plus the span of the first edge, in a deterministic order.
    func cycles() -> [(nodes: [GraphNode], span: Span)] {
        var index: [GraphNode: Int] = [:]
        var low: [GraphNode: Int] = [:]
        var onStack: Set<GraphNode> = []
        var stack: [GraphNode] = []
        var next = 0
        var result: [(nodes: [GraphNode], span: Span)] = []

        for root in order where index[root] == nil {
            // Explicit DFS stack of (node, next edge to visit).
            var work: [(GraphNode, Int)] = [(root, 0)]
            index[root] = next; low[root] = next; next += 1
            stack.append(root); onStack.insert(root)
            while let (node, i) = work.last {
                let out = edges[node] ?? []
                if i < out.count {
                    work[work.count - 1].1 = i + 1
                    let to = out[i].to
                    if index[to] == nil {
                        index[to] = next; low[to] = next; next += 1
                        stack.append(to); onStack.insert(to)
                        work.append((to, 0))
                    } else if onStack.contains(to) {
                        low[node] = min(low[node]!, index[to]!)
                    }
                } else {
                    work.removeLast()
                    if let parent = work.last?.0 { low[parent] = min(low[parent]!, low[node]!) }
                    if low[node] == index[node] {
                        var component: [GraphNode] = []
                        while let top = stack.popLast() {
                            onStack.remove(top)
                            component.append(top)
                            if top == node { break }
                        }
                        let selfLoop = (edges[node] ?? []).contains { $0.to == node }
                        if component.contains(.violations) {
                            // `violations` depends on every constraint, so all the
                            // constraints that read it fall into one component;
                            // each of them is its own error (LANGUAGE.md §9).
                            let members = Set(component)
                            let constraints = component.compactMap { n -> Int? in
                                if case .constraint(let c) = n { return c } else { return nil }
                            }.sorted()
                            for c in constraints {
                                let cycle = path(through: members, from: .constraint(c))
                                if cycle.nodes.contains(.violations) { result.append(cycle) }
                            }
                        } else if component.count > 1 || selfLoop {
                            result.append(path(through: Set(component), from: component.last!))
                        }
                    }
                }
            }
        }
        return result
    }

    /// A concrete cycle inside a strongly connected component, found by
    /// breadth-first search back to the start node.
    private func path(through members: Set<GraphNode>, from start: GraphNode) -> (nodes: [GraphNode], span: Span) {
        var previous: [GraphNode: (GraphNode, Span)] = [:]
        var queue = [start]
        var head = 0
        while head < queue.count {
            let node = queue[head]; head += 1
            for (to, span) in edges[node] ?? [] where members.contains(to) {
                if to == start {
                    var nodes = [start]
                    var cur = node
                    var spans = [span]
                    while cur != start, let (p, s) = previous[cur] {
                        nodes.append(cur)
                        spans.append(s)
                        cur = p
                    }
                    nodes.append(start)
                    return (Array(nodes.reversed()), spans.last ?? span)
                }
                if previous[to] == nil && to != start {
                    previous[to] = (node, span)
                    queue.append(to)
                }
            }
        }
        return ([start, start], .synthetic)
    }
}
