// Tokens of the Tally language (LANGUAGE.md §1; grammar/tally.ebnf).

/// The reserved words of LANGUAGE.md §1. Field labels (`actual`, `target`,
/// `round`, ...) and scope words (`person`, `team`, `company`) are *not*
/// reserved: they lex as plain identifiers.
public enum Keyword: String, Sendable, Hashable, CaseIterable {
    case plan, inputs, `for`, `where`, `let`, `func`, table, objective, key_result
    case weight, aligns, to, incentive, pool, constraint, severity, `import`
    case `if`, then, `else`, and, or, not, `in`, none, `true`, `false`
    case interpolate, marginal, flat, first, below, above
}

public enum TokenKind: Sendable, Hashable {
    /// A name, NFC-normalised (`Token.text`).
    case identifier
    case keyword(Keyword)
    /// `42`, `3.14`, `2.5e-3`: `Token.text` is the literal without `_`.
    case number
    /// `85%`: `Token.text` is the text before `%`, without `_`.
    case percent
    /// `15_000 CNY`: `Token.text` is the amount without `_`, `Token.currency` the code.
    case money
    /// `2026-09-30`: `Token.text` is the literal text (checked unless `hasError`).
    case date
    /// `"..."`: `Token.text` is the decoded value.
    case string

    case plus, minus, star, slash, caret                       // + - * / ^
    case equalEqual, bangEqual, less, lessEqual, greater, greaterEqual  // == != < <= > >=
    case questionQuestion, arrow, dotDot, dotDotLess, dot       // ?? -> .. ..< .
    case comma, semicolon, colon                                // , ; :
    case leftParen, rightParen, leftBracket, rightBracket, leftBrace, rightBrace
    case equal, question, underscore                            // = ? _

    /// A character that starts no token (already diagnosed by the lexer).
    case invalid
    /// Never produced by the lexer: the parser reports it in place of the
    /// first token of the next line when a table row ends there.
    case newline
    case eof

    /// How the token kind is named in diagnostics ("expected `)`, found ...").
    public var display: String {
        switch self {
        case .identifier: return "a name"
        case .keyword(let k): return "`\(k.rawValue)`"
        case .number: return "a number"
        case .percent: return "a percent literal"
        case .money: return "a money literal"
        case .date: return "a date"
        case .string: return "a string"
        case .plus: return "`+`"
        case .minus: return "`-`"
        case .star: return "`*`"
        case .slash: return "`/`"
        case .caret: return "`^`"
        case .equalEqual: return "`==`"
        case .bangEqual: return "`!=`"
        case .less: return "`<`"
        case .lessEqual: return "`<=`"
        case .greater: return "`>`"
        case .greaterEqual: return "`>=`"
        case .questionQuestion: return "`??`"
        case .arrow: return "`->`"
        case .dotDot: return "`..`"
        case .dotDotLess: return "`..<`"
        case .dot: return "`.`"
        case .comma: return "`,`"
        case .semicolon: return "`;`"
        case .colon: return "`:`"
        case .leftParen: return "`(`"
        case .rightParen: return "`)`"
        case .leftBracket: return "`[`"
        case .rightBracket: return "`]`"
        case .leftBrace: return "`{`"
        case .rightBrace: return "`}`"
        case .equal: return "`=`"
        case .question: return "`?`"
        case .underscore: return "`_`"
        case .invalid: return "an invalid character"
        case .newline: return "the end of the line"
        case .eof: return "the end of the input"
        }
    }
}

public struct Token: Sendable {
    public var kind: TokenKind
    /// Byte range in the source file.
    public var span: Span
    /// A line end (LF or CRLF) separates this token from the previous one
    /// (or it is the first token of the file). Table rows end there.
    public var precededByNewline: Bool
    /// The lexer already reported a problem with this token (a bad number,
    /// date or escape, an unterminated string, an invalid character). The
    /// parser accepts it quietly so one mistake gives one diagnostic.
    public var hasError: Bool
    /// A string that reached the end of its line or of the file without its
    /// closing quote: whatever followed on that line is lost.
    public var isUnterminated: Bool
    /// Identifier name (NFC), decoded string, number text without `_`, date text.
    public var text: String
    /// The currency code of a money literal, else empty.
    public var currency: String

    public init(kind: TokenKind, span: Span, precededByNewline: Bool, hasError: Bool = false,
                isUnterminated: Bool = false, text: String = "", currency: String = "") {
        self.kind = kind
        self.span = span
        self.precededByNewline = precededByNewline
        self.hasError = hasError
        self.isUnterminated = isUnterminated
        self.text = text
        self.currency = currency
    }

    /// Identifiers and keywords: words that may name a member (`v.severity`).
    public var isWord: Bool {
        switch kind {
        case .identifier, .keyword: return true
        default: return false
        }
    }

    /// The spelling of a word token (identifier name or keyword).
    public var word: String {
        if case .keyword(let k) = kind { return k.rawValue }
        return text
    }
}
