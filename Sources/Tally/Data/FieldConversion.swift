/// Typing one raw dataset value against its declared input type
/// (LANGUAGE.md §12). Numbers are read from their digits, never through
/// binary floating point; a value such as `1,5` or `1.000.000` is an error,
/// never silently reinterpreted.
enum FieldConversion {
    /// The typed value, or a message saying what is wrong with it.
    static func convert(_ raw: RawValue, to type: InputType, currency: Currency) -> Result<Value, FieldError> {
        switch type {
        case .number:
            return number(raw, percentAllowed: false).map { .number($0) }
        case .percent:
            return number(raw, percentAllowed: true).map { .number($0) }
        case .money:
            return number(raw, percentAllowed: false, currency: currency).map { .money(Money($0, currency)) }
        case .bool:
            switch raw {
            case .bool(let b): return .success(.bool(b))
            case .string(let s):
                switch s.lowercased() {
                case "true": return .success(.bool(true))
                case "false": return .success(.bool(false))
                default: return .failure(FieldError("expected true or false, found \(CanonicalText.quote(s))"))
                }
            default: return .failure(FieldError("expected true or false, found \(raw.kindDescription)"))
            }
        case .string:
            switch raw {
            case .string(let s): return .success(.string(s))
            case .number(let text): return .success(.string(text))
            default: return .failure(FieldError("expected a string, found \(raw.kindDescription)"))
            }
        case .date:
            guard case .string(let s) = raw else {
                return .failure(FieldError("expected a date \"YYYY-MM-DD\", found \(raw.kindDescription)"))
            }
            guard let d = Day(iso: s) else {
                return .failure(FieldError("\(CanonicalText.quote(s)) is not a valid date (expected YYYY-MM-DD, e.g. 2026-09-30)"))
            }
            return .success(.date(d))
        }
    }

    struct FieldError: Error {
        var message: String
        init(_ message: String) { self.message = message }
    }

    private static func number(_ raw: RawValue, percentAllowed: Bool, currency: Currency? = nil) -> Result<ExactDecimal, FieldError> {
        switch raw {
        case .number(let text):
            return parse(text)
        case .string(let s):
            let text = s.trimmingSpaces
            if text.hasSuffix("%") {
                guard percentAllowed else {
                    return .failure(FieldError("\(CanonicalText.quote(s)) is a percentage, but this field is declared \(currency == nil ? "number" : "money"); declare it `percent`"))
                }
                let body = String(text.dropLast())
                guard isPlainNumber(body) else { return .failure(notANumber(s)) }
                return parse(body).flatMap { v in
                    do throws(ArithmeticError) { return .success(try v.divided(by: ExactDecimal(100))) } catch {
                        return .failure(FieldError(error.message))
                    }
                }
            }
            if let currency, text.hasSuffix(" " + currency.code) || text.hasSuffix(currency.code) {
                return .failure(FieldError("write money as a plain number in \(currency.code), without the currency code: \(CanonicalText.quote(s))"))
            }
            guard isPlainNumber(text) else { return .failure(notANumber(s)) }
            return parse(text)
        default:
            return .failure(FieldError("expected a number, found \(raw.kindDescription)"))
        }
    }

    private static func notANumber(_ s: String) -> FieldError {
        var hint = ""
        if s.contains(",") { hint = " (use `.` for decimals and no thousands separators)" }
        else if s.filter({ $0 == "." }).count > 1 { hint = " (more than one `.`; no thousands separators)" }
        return FieldError("\(CanonicalText.quote(s)) is not a number\(hint)")
    }

    /// `[+-]? digits [. digits] [e [+-] digits]` — what a spreadsheet exports.
    static func isPlainNumber(_ s: String) -> Bool {
        var u = Array(s.utf8)[...]
        if let f = u.first, f == UInt8(ascii: "-") || f == UInt8(ascii: "+") { u = u.dropFirst() }
        func digits() -> Int {
            var n = 0
            while let f = u.first, f >= 48, f <= 57 { u = u.dropFirst(); n += 1 }
            return n
        }
        guard digits() > 0 else { return false }
        if u.first == UInt8(ascii: ".") {
            u = u.dropFirst()
            guard digits() > 0 else { return false }
        }
        if let f = u.first, f == UInt8(ascii: "e") || f == UInt8(ascii: "E") {
            u = u.dropFirst()
            if let g = u.first, g == UInt8(ascii: "-") || g == UInt8(ascii: "+") { u = u.dropFirst() }
            guard digits() > 0 else { return false }
        }
        return u.isEmpty
    }

    private static func parse(_ text: String) -> Result<ExactDecimal, FieldError> {
        do {
            return .success(try ExactDecimal(parsing: text.hasPrefix("+") ? String(text.dropFirst()) : text))
        } catch {
            switch error {
            case .tooManyDigits: return .failure(FieldError("\(text) has more than 34 significant digits"))
            case .outOfRange: return .failure(FieldError("\(text) is out of range (a non-zero number must have a magnitude from 10^-6143 to below 10^6145)"))
            case .syntax: return .failure(notANumber(text))
            }
        }
    }
}

extension String {
    /// Without leading and trailing spaces and tabs.
    var trimmingSpaces: String {
        var s = Substring(self)
        while let f = s.first, f == " " || f == "\t" { s = s.dropFirst() }
        while let l = s.last, l == " " || l == "\t" { s = s.dropLast() }
        return String(s)
    }
}
