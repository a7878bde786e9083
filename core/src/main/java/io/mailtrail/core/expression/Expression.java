package io.mailtrail.core.expression;

import java.util.BitSet;
import java.util.Objects;

/**
 * A compiled expression: immutable, thread-safe, evaluated without reflection lookups.
 *
 * <pre>{@code
 * Expression e = Expression.compile("#result.confidence > 0.5", ExpressionScope.of(method, true));
 * boolean logged = e.test(context);
 * }</pre>
 */
public final class Expression extends CompiledSource {

    private final Node root;
    private final boolean usesAllArguments;

    private Expression(String source, Node root, Parser parser) {
        super(source, (BitSet) parser.arguments.clone(), parser.usesResult, parser.usesException);
        this.root = root;
        this.usesAllArguments = parser.usesAllArguments;
    }

    /**
     * Compiles {@code source} against {@code scope}.
     *
     * @throws ExpressionException with the position of the first problem: a syntax error, an
     *         unknown variable, {@code #result} where there is none, or a property that the
     *         declared (final) type does not have
     */
    public static Expression compile(String source, ExpressionScope scope) throws ExpressionException {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(scope, "scope");
        Parser parser = new Parser(source, scope, 0);
        Node root = parser.parseWhole(source.length());
        return new Expression(source, root, parser);
    }

    static Expression of(String source, Node root, Parser parser) {
        return new Expression(source, root, parser);
    }

    /**
     * Evaluates the expression.
     *
     * @throws EvaluationException when a step fails: a property of {@code null} without
     *         {@code ?.}, a missing property, a getter that threw
     */
    public Object evaluate(EvaluationContext context) {
        return root.evaluate(context);
    }

    /**
     * Evaluates a condition: {@code true} only for {@code Boolean.TRUE}, {@code false} for
     * {@code null}.
     *
     * @throws EvaluationException when evaluation fails or the value is not a boolean
     */
    public boolean test(EvaluationContext context) {
        return Node.truth(root.evaluate(context));
    }

    /** Whether the expression reads {@code #root.args}. */
    public boolean usesAllArguments() {
        return usesAllArguments;
    }
}
