package io.mailtrail.core.expression;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * A compiled text template with {@code #{expression}} parts, e.g.
 * {@code "Classified as #{#result.classification} (confidence: #{#result.confidence})"}.
 * A {@code #} not followed by <code>{</code> is plain text.
 */
public final class Template extends CompiledSource {

    private final Object[] parts; // String or Expression, in order
    /**
     * The capacity a rendering starts with: the literal text plus a guess per expression, so
     * that a typical description is built without the StringBuilder growing (each growth
     * copies what was written so far into a new array).
     */
    private final int expectedLength;

    private Template(String source, List<Object> parts, BitSet arguments) {
        super(source, arguments, parts.stream().anyMatch(p -> p instanceof Expression e && e.usesResult()),
                parts.stream().anyMatch(p -> p instanceof Expression e && e.usesException()));
        this.parts = parts.toArray();
        int length = 0;
        for (Object part : parts) {
            length += part instanceof Expression ? 24 : ((String) part).length();
        }
        this.expectedLength = length;
    }

    /**
     * Compiles {@code source} against {@code scope}.
     *
     * @throws ExpressionException with the position, within the whole template, of the first
     *         problem, including an unclosed <code>#{</code>
     */
    public static Template compile(String source, ExpressionScope scope) throws ExpressionException {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(scope, "scope");
        List<Object> parts = new ArrayList<>();
        BitSet arguments = new BitSet();
        StringBuilder text = new StringBuilder();
        int i = 0;
        while (i < source.length()) {
            int open = source.indexOf("#{", i);
            if (open < 0) {
                text.append(source, i, source.length());
                break;
            }
            text.append(source, i, open);
            Parser parser = new Parser(source, scope, open + 2);
            Node node;
            try {
                node = parser.parsePart();
            } catch (ExpressionException e) {
                // Report "#{" without "}" as what it is, not as whatever the parser tripped on.
                if (source.indexOf('}', open) < 0) {
                    throw new ExpressionException("'#{' is never closed with '}'", source, open);
                }
                throw e;
            }
            if (parser.position() >= source.length() || source.charAt(parser.position()) != '}') {
                if (source.indexOf('}', open) < 0) {
                    throw new ExpressionException("'#{' is never closed with '}'", source, open);
                }
                throw parser.error("expected '}' to close the '#{' at position " + open, parser.position());
            }
            if (text.length() > 0) {
                parts.add(text.toString());
                text.setLength(0);
            }
            Expression expression = Expression.of(source.substring(open + 2, parser.position()).trim(), node, parser);
            parts.add(expression);
            arguments.or(parser.arguments);
            i = parser.position() + 1;
        }
        if (text.length() > 0) {
            parts.add(text.toString());
        }
        return new Template(source, parts, arguments);
    }

    /**
     * Renders the template, converting each part's value with {@code render}; a part that fails
     * to evaluate renders as {@code "[unavailable]"} so that the rest of the text survives.
     */
    public String render(EvaluationContext context, Function<Object, String> render) {
        if (parts.length == 1 && parts[0] instanceof String) {
            return (String) parts[0];
        }
        StringBuilder sb = new StringBuilder(expectedLength);
        for (Object part : parts) {
            if (part instanceof String) {
                sb.append((String) part);
            } else {
                String value;
                try {
                    value = render.apply(((Expression) part).evaluate(context));
                } catch (EvaluationException e) {
                    value = "[unavailable]";
                }
                sb.append(value);
            }
        }
        return sb.toString();
    }

    /** The expressions of the template, in order. */
    public List<Expression> expressions() {
        List<Expression> expressions = new ArrayList<>();
        for (Object part : parts) {
            if (part instanceof Expression) {
                expressions.add((Expression) part);
            }
        }
        return expressions;
    }
}
