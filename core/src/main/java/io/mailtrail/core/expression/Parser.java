package io.mailtrail.core.expression;

import io.mailtrail.core.internal.Accessors;
import java.util.BitSet;

/**
 * Recursive-descent parser of the SpEL subset, producing a checked {@link Node} tree.
 *
 * <pre>
 * or         := and (('or' | '||') and)*
 * and        := unary (('and' | '&amp;&amp;') unary)*
 * unary      := ('!' | 'not') unary | comparison
 * comparison := primary (('==' | '!=' | '&gt;=' | '&lt;=' | '&gt;' | '&lt;') primary)?
 * primary    := literal | variable ('.' name | '?.' name)* | '(' or ')'
 * variable   := '#' name | ('#entry' | '#changes') '(' or ')'
 * </pre>
 */
final class Parser {

    private final String source;
    private final ExpressionScope scope;
    private int pos;

    /** Arguments referenced, by index; {@code #root.args} sets all of them. */
    final BitSet arguments = new BitSet();
    boolean usesResult;
    boolean usesException;
    boolean usesAllArguments;
    /** {@code "#entry"} or {@code "#changes"} while their argument is parsed, else {@code null}. */
    private String inside;
    /** Whether the argument of the {@code #entry}/{@code #changes} being parsed reads {@code #it} or {@code #index}. */
    private boolean insideReadsElement;

    Parser(String source, ExpressionScope scope, int start) {
        this.source = source;
        this.scope = scope;
        this.pos = start;
    }

    int position() {
        return pos;
    }

    /** Parses an expression that must end at {@code end} (exclusive). */
    Node parseWhole(int end) throws ExpressionException {
        skipSpace();
        if (pos >= end) {
            throw error("empty expression", pos);
        }
        Node node = parseOr();
        skipSpace();
        if (pos < end) {
            throw error("unexpected '" + source.charAt(pos) + "'", pos);
        }
        return node;
    }

    /** Parses one expression and stops before the first character that can not continue it. */
    Node parsePart() throws ExpressionException {
        skipSpace();
        Node node = parseOr();
        skipSpace();
        return node;
    }

    private Node parseOr() throws ExpressionException {
        Node left = parseAnd();
        while (keyword("or") || symbol("||")) {
            left = new Node.Logical(left, parseAnd(), false);
        }
        return left;
    }

    private Node parseAnd() throws ExpressionException {
        Node left = parseUnary();
        while (keyword("and") || symbol("&&")) {
            left = new Node.Logical(left, parseUnary(), true);
        }
        return left;
    }

    private Node parseUnary() throws ExpressionException {
        skipSpace();
        if (keyword("not") || (peek('!') && !peekAt(pos + 1, '=') && symbol("!"))) {
            return new Node.Not(parseUnary());
        }
        Node left = parsePrimary();
        skipSpace();
        for (Node.Operator operator : new Node.Operator[] {Node.Operator.EQ, Node.Operator.NE,
                Node.Operator.GE, Node.Operator.LE, Node.Operator.GT, Node.Operator.LT}) {
            if (symbol(operator.symbol)) {
                return new Node.Comparison(left, parsePrimary(), operator);
            }
        }
        return left;
    }

    private Node parsePrimary() throws ExpressionException {
        skipSpace();
        if (pos >= source.length()) {
            throw error("expression ends too early", pos);
        }
        char c = source.charAt(pos);
        if (c == '(') {
            pos++;
            Node inner = parseOr();
            skipSpace();
            expect(')');
            return inner;
        }
        if (c == '\'' || c == '"') {
            return new Node.Literal(literal(Literals.string(source, pos, c)));
        }
        if (Character.isDigit(c) || (c == '-' && pos + 1 < source.length()
                && Character.isDigit(source.charAt(pos + 1)))) {
            return new Node.Literal(literal(Literals.number(source, pos)));
        }
        if (c == '#') {
            return parsePath(parseVariable());
        }
        if (Character.isJavaIdentifierStart(c)) {
            int start = pos;
            String word = identifier();
            switch (word) {
                case "true":
                    return new Node.Literal(Boolean.TRUE);
                case "false":
                    return new Node.Literal(Boolean.FALSE);
                case "null":
                    return new Node.Literal(null);
                default:
                    throw error("unknown name '" + word + "': variables start with '#', e.g. #"
                            + word + ", and text needs quotes, e.g. '" + word + "'", start);
            }
        }
        throw error("unexpected '" + c + "'", pos);
    }

    private Node parseVariable() throws ExpressionException {
        int start = pos;
        pos++; // '#'
        if (pos >= source.length() || !Character.isJavaIdentifierStart(source.charAt(pos))) {
            throw error("expected a variable name after '#'", pos);
        }
        String name = identifier();
        switch (name) {
            case "result":
                if (inside != null) {
                    throw error(inside + "(...) can not read #result: it is evaluated when the method is entered,"
                            + " before there is a result", start);
                }
                if (scope.resultUnavailable() != null) {
                    throw error(scope.resultUnavailable(), start);
                }
                usesResult = true;
                return new Node.RootValue(Node.Root.RESULT, scope.resultType());
            case "ex":
                if (inside != null) {
                    throw error(inside + "(...) can not read #ex: it is evaluated when the method is entered,"
                            + " before anything is thrown", start);
                }
                if (!scope.exceptionAvailable()) {
                    throw error("#ex is not available before the call (phase START)", start);
                }
                usesException = true;
                return new Node.RootValue(Node.Root.EXCEPTION, Throwable.class);
            case "root":
                return parseRoot(start);
            case "entry":
            case "changes":
                return peek('(') ? parseAtEntry(name, start) : argument(name, start);
            case "it":
            case "index":
                return element(name, start);
            default:
                return argument(name, start);
        }
    }

    /** {@code #entry(expr)} or {@code #changes(expr)}: {@code expr} is evaluated when the method is entered. */
    private Node parseAtEntry(String name, int start) throws ExpressionException {
        boolean changes = name.equals("changes");
        if (inside != null) {
            throw error("#" + name + "(...) can not be used inside " + inside + "(...)", start);
        }
        if (changes && !scope.exceptionAvailable()) {
            throw error("#changes(...) is not available before the call (phase START): nothing has changed yet", start);
        }
        pos++; // '('
        int innerStart = pos;
        inside = "#" + name;
        insideReadsElement = false;
        Node inner;
        try {
            inner = parseOr();
        } finally {
            inside = null;
        }
        skipSpace();
        int innerEnd = pos;
        expect(')');
        String innerSource = source.substring(innerStart, innerEnd).trim();
        int slot = scope.entrySlots().add(innerSource, inner, changes, insideReadsElement);
        return changes ? new Node.Changes(slot, inner, innerSource) : new Node.EntryValue(slot, innerSource);
    }

    /** {@code #it} or {@code #index}: a forEach element, else a parameter of that name. */
    private Node element(String name, int start) throws ExpressionException {
        if (scope.forEach()) {
            // Inside #entry(...), the forEach is walked at entry too and the value taken per element.
            insideReadsElement |= inside != null;
            return name.equals("it") ? new Node.RootValue(Node.Root.ELEMENT, Object.class)
                    : new Node.RootValue(Node.Root.INDEX, Integer.class);
        }
        if (scope.indexOf(name) >= 0) {
            return argument(name, start);
        }
        throw error("#" + name + " is only available with forEach (one row per element)", start);
    }

    private Node argument(String name, int start) throws ExpressionException {
        int index = scope.indexOf(name);
        if (index < 0 && name.length() > 1 && (name.charAt(0) == 'p' || name.charAt(0) == 'a')
                && name.substring(1).chars().allMatch(Character::isDigit) && name.length() < 6) {
            index = Integer.parseInt(name.substring(1));
            if (index >= scope.parameterCount()) {
                throw error("#" + name + " is out of range: " + scope.describeParameters(), start);
            }
        }
        if (index < 0) {
            throw error("unknown variable #" + name + ": " + scope.describeParameters()
                    + ", plus #result, #ex, #root, #entry(...) and #changes(...)", start);
        }
        arguments.set(index);
        return new Node.Argument(index, scope.parameterType(index));
    }

    private Node parseRoot(int start) throws ExpressionException {
        if (!peek('.')) {
            throw error("#root must be followed by .methodName, .targetClass, .target or .args", start);
        }
        pos++;
        int nameStart = pos;
        String name = identifierOrNull();
        if (name == null) {
            throw error("expected methodName, targetClass, target or args after '#root.'", nameStart);
        }
        switch (name) {
            case "methodName":
                return new Node.RootValue(Node.Root.METHOD_NAME, String.class);
            case "targetClass":
                return new Node.RootValue(Node.Root.TARGET_CLASS, Class.class);
            case "target":
                return new Node.RootValue(Node.Root.TARGET, scope.targetClass());
            case "args":
                usesAllArguments = true;
                arguments.set(0, scope.parameterCount());
                return new Node.RootValue(Node.Root.ARGS, Object[].class);
            default:
                throw error("unknown #root." + name + ": expected methodName, targetClass, target or args",
                        nameStart);
        }
    }

    private Node parsePath(Node receiver) throws ExpressionException {
        Node node = receiver;
        while (true) {
            boolean nullSafe;
            if (peek('?') && peekAt(pos + 1, '.')) {
                pos += 2;
                nullSafe = true;
            } else if (peek('.')) {
                pos++;
                nullSafe = false;
            } else {
                return node;
            }
            int nameStart = pos;
            String name = identifierOrNull();
            if (name == null) {
                throw error("expected a property name after '" + (nullSafe ? "?." : ".") + "'", nameStart);
            }
            Class<?> type = node.staticType;
            if (!java.util.Map.class.isAssignableFrom(type) && Accessors.cannotHave(type, name)) {
                throw error("no property '" + name + "' on " + type.getTypeName()
                        + " (looked for get/is" + name + "(), " + name + "() and a public field)", nameStart);
            }
            Accessors.Property property = java.util.Map.class.isAssignableFrom(type) ? null
                    : Accessors.property(type, name);
            // The declared type is an upper bound: an override can only narrow it covariantly.
            Class<?> propertyType = property == null ? Object.class : box(property.type());
            node = new Node.PropertyRead(node, name, nullSafe, propertyType);
        }
    }

    /** Moves past a scanned literal and returns its value. */
    private Object literal(Literals.Scanned scanned) {
        pos = scanned.end();
        return scanned.value();
    }

    private static Class<?> box(Class<?> type) {
        return java.lang.invoke.MethodType.methodType(type).wrap().returnType();
    }

    private String identifier() {
        int start = pos;
        pos++;
        while (pos < source.length() && Character.isJavaIdentifierPart(source.charAt(pos))) {
            pos++;
        }
        return source.substring(start, pos);
    }

    private String identifierOrNull() {
        if (pos >= source.length() || !Character.isJavaIdentifierStart(source.charAt(pos))) {
            return null;
        }
        return identifier();
    }

    private boolean keyword(String word) {
        skipSpace();
        int end = pos + word.length();
        if (source.startsWith(word, pos)
                && (end >= source.length() || !Character.isJavaIdentifierPart(source.charAt(end)))) {
            pos = end;
            return true;
        }
        return false;
    }

    private boolean symbol(String symbol) {
        skipSpace();
        if (source.startsWith(symbol, pos)) {
            pos += symbol.length();
            return true;
        }
        return false;
    }

    private void expect(char c) throws ExpressionException {
        if (!peek(c)) {
            throw error(pos >= source.length() ? "expected '" + c + "' but the expression ended"
                    : "expected '" + c + "' but found '" + source.charAt(pos) + "'", pos);
        }
        pos++;
    }

    private boolean peek(char c) {
        return peekAt(pos, c);
    }

    private boolean peekAt(int index, char c) {
        return index < source.length() && source.charAt(index) == c;
    }

    private void skipSpace() {
        while (pos < source.length() && Character.isWhitespace(source.charAt(pos))) {
            pos++;
        }
    }

    ExpressionException error(String reason, int at) {
        return new ExpressionException(reason, source, at);
    }
}
