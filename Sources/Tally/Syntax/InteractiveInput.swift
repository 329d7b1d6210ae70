/// One REPL entry: declarations when the text starts with a declaration
/// keyword (`let`, `func`, `table`, `objective`, `for person`, ...),
/// otherwise a single expression to evaluate.
public enum InteractiveInput: Sendable {
    case declarations([Declaration])
    case expression(Expr)
}
