// What-if evaluation that reuses a baseline's memoised values: after a
// change to some inputs, only the values the change can reach are computed
// again. Reach is decided from the checker's dependency graph: a reader of
// the same subject (`revenue` inside `for person`) is stale only for the
// changed subjects; a reader of other subjects (`m.revenue for m in
// members`, `sum(p.bonus for p in people)`) is stale for every subject of
// its scope.

/// Which subjects of one graph node are stale.
enum Staleness {
    case some(Set<Int32>)
    case all
}

extension Evaluation {
    /// A new evaluation of `data` (the baseline's dataset with `changed`
    /// inputs replaced) that starts from the baseline's memoised values
    /// wherever the change cannot reach.
    convenience init(data: BoundData, reusing baseline: Evaluation, changed: [(SubjectRef, Int)]) {
        self.init(data: data, options: baseline.options, tables: baseline.tables.map { SlotTable(copying: $0) })
        let stale = Evaluation.staleness(program, changed)
        for kind in ScopeKind.allCases {
            let si = BoundData.index(kind)
            let scope = program.scope(kind)
            let n = data.counts[si]
            // The baseline's table, less what may have moved.
            let table = tables[si]
            for (subject, slot) in changed where subject.scope == kind {
                let k = Int(subject.index) * table.slotCount + slot
                table.values[k] = data.input(si, k)
            }
            for slot in 0..<scope.slots.count {
                if case .input = scope.slots[slot] { continue }
                switch stale[.slot(kind, slot)] {
                case nil: continue
                case .all?: for i in 0..<n { table.forget(i * table.slotCount + slot) }
                case .some(let set)?: for i in set { table.forget(Int(i) * table.slotCount + slot) }
                }
            }
            let blocks = scope.blocks.count
            blockState[si] = baseline.blockState[si]
            for (k, e) in baseline.blockFailures where k % 3 == si { blockFailures[k] = e }
            for b in 0..<blocks {
                switch stale[.block(kind, b)] {
                case nil: continue
                case .all?: for i in 0..<n { blockState[si][i * blocks + b] = 0 }
                case .some(let set)?: for i in set { blockState[si][Int(i) * blocks + b] = 0 }
                }
            }
        }
        // Pools whose slots are clean keep their allocations.
        for (p, pool) in program.pools.enumerated() where stale[.slot(pool.scope, pool.totalSlot)] == nil {
            if let parts = baseline.poolParts[p] { poolParts[p] = parts }
            for (key, value) in baseline.poolInstances where key.pool == p { poolInstances[key] = value }
        }
        if stale[.violations] == nil, !program.constraints.indices.contains(where: { stale[.constraint($0)] != nil }) {
            constraintCheck = baseline.constraintCheck
        }
    }

    /// Propagates staleness from the changed input slots through the
    /// readers of each node.
    static func staleness(_ program: Program, _ changed: [(SubjectRef, Int)]) -> [GraphNode: Staleness] {
        var stale: [GraphNode: Staleness] = [:]
        var work: [GraphNode] = []
        func mark(_ node: GraphNode, _ s: Staleness) {
            switch (stale[node], s) {
            case (.all?, _): return
            case (_, .all): stale[node] = .all
            case (.some(let old)?, .some(let new)):
                let merged = old.union(new)
                if merged.count == old.count { return }
                stale[node] = .some(merged)
            case (nil, .some(let new)): stale[node] = .some(new)
            }
            work.append(node)
        }
        for (subject, slot) in changed { mark(.slot(subject.scope, slot), .some([subject.index])) }
        while let node = work.popLast() {
            guard let s = stale[node] else { continue }
            for (reader, same) in program.readers[node] ?? [] {
                mark(reader, same ? s : .all)
            }
        }
        return stale
    }
}

extension Staleness: Equatable {}
