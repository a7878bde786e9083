package io.mailtrail.core.expression;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.Method;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class ExpressionTest {

    enum Status { COMPLETED, FAILED }

    record Sender(String address) {
    }

    record Email(int id, String subject, Sender sender, boolean urgent) {
    }

    public static class Bean {
        public final String field = "f";

        public String getName() {
            return "bean";
        }

        public boolean isActive() {
            return true;
        }

        public String getBroken() {
            throw new IllegalStateException("boom");
        }
    }

    record Classification(int emailId, String classification, double confidence, Status status) {
    }

    static class Service {
        Classification classify(Email email, Map<String, Object> headers, Bean bean, int attempt) {
            return null;
        }

        void notify(Email email) {
        }

        CompletableFuture<Classification> classifyAsync(Email email) {
            return null;
        }
    }

    private static final Email EMAIL = new Email(123, "Invoice 42", new Sender("a@b.dk"), true);
    private static final Classification RESULT = new Classification(123, "invoice", 0.85, Status.COMPLETED);

    private final Method classify = method("classify");
    private final ExpressionScope after = ExpressionScope.of(classify, true);
    private final ExpressionScope before = ExpressionScope.of(classify, false);

    @Test
    void readsArgumentsByNameAndPosition() throws Exception {
        assertThat(eval("#email.id")).isEqualTo(123);
        assertThat(eval("#p0.id")).isEqualTo(123);
        assertThat(eval("#a0.subject")).isEqualTo("Invoice 42");
        assertThat(eval("#attempt")).isEqualTo(2);
        assertThat(eval("#p3")).isEqualTo(2);
    }

    @Test
    void readsGettersRecordAccessorsFieldsAndMapKeys() throws Exception {
        assertThat(eval("#email.sender.address")).isEqualTo("a@b.dk");
        assertThat(eval("#email.urgent")).isEqualTo(true);
        assertThat(eval("#bean.name")).isEqualTo("bean");
        assertThat(eval("#bean.active")).isEqualTo(true);
        assertThat(eval("#bean.field")).isEqualTo("f");
        assertThat(eval("#headers.from")).isEqualTo("x@y.dk");
        assertThat(eval("#headers.missing")).isNull();
    }

    @Test
    void readsResultExceptionAndRoot() throws Exception {
        assertThat(eval("#result.classification")).isEqualTo("invoice");
        assertThat(eval("#root.methodName")).isEqualTo("classify");
        assertThat(eval("#root.targetClass")).isEqualTo(Service.class);
        assertThat(eval("#root.args")).isInstanceOf(Object[].class);
        assertThat(eval("#ex")).isNull();
    }

    @Test
    void literalsAndConditions() throws Exception {
        assertThat(eval("'it''s'")).isEqualTo("it's");
        assertThat(eval("\"double\"")).isEqualTo("double");
        assertThat(eval("-7")).isEqualTo(-7);
        assertThat(eval("12345678901")).isEqualTo(12345678901L);
        assertThat(eval("0.5")).isEqualTo(0.5);
        assertThat(eval("null")).isNull();
        assertThat(test("#result.confidence > 0.5")).isTrue();
        assertThat(test("#result.confidence < 0.5")).isFalse();
        assertThat(test("#result.emailId == 123L".replace("L", ""))).isTrue();
        assertThat(test("#result.emailId >= 123 and #result.emailId <= 123")).isTrue();
        assertThat(test("#result.status == 'COMPLETED'")).isTrue();
        assertThat(test("#result.status != 'FAILED' && !#email.urgent || #attempt > 1")).isTrue();
        assertThat(test("not (#email.urgent)")).isFalse();
        assertThat(test("#headers.missing > 3")).isFalse();
        assertThat(test("#headers.missing == null")).isTrue();
    }

    @Test
    void nullSafeNavigation() throws Exception {
        Expression safe = Expression.compile("#email?.sender?.address", after);
        Expression unsafe = Expression.compile("#email.sender.address", after);
        EvaluationContext noSender = context(new Email(1, "s", null, false), RESULT);

        assertThat(safe.evaluate(noSender)).isNull();
        assertThatThrownBy(() -> unsafe.evaluate(noSender))
                .isInstanceOf(EvaluationException.class)
                .hasMessageContaining("can not read 'address' of null");
    }

    @Test
    void throwingGetterIsAnEvaluationFailure() throws Exception {
        Expression broken = Expression.compile("#bean.broken", after);

        assertThatThrownBy(() -> broken.evaluate(context(EMAIL, RESULT)))
                .isInstanceOf(EvaluationException.class)
                .hasMessageContaining("IllegalStateException");
    }

    @Test
    void reportsWhatItReads() throws Exception {
        Expression e = Expression.compile("#result.confidence > 0.5 and #p1.x == #attempt", after);

        assertThat(e.usesResult()).isTrue();
        assertThat(e.usesArgument(1)).isTrue();
        assertThat(e.usesArgument(3)).isTrue();
        assertThat(e.usesArgument(0)).isFalse();
        assertThat(Expression.compile("#root.args", after).usesArgument(2)).isTrue();
    }

    @Test
    void errorsNameThePosition() {
        assertError("#email.", after, 7, "expected a property name after '.'");
        assertError("#emial.id", after, 0, "unknown variable #emial");
        assertError("#p9", after, 0, "#p9 is out of range");
        assertError("#email.idd", after, 7, "no property 'idd' on");
        assertError("#result.classification", before, 0, "#result is not available before the call");
        assertError("#ex", before, 0, "#ex is not available");
        assertError("'open", after, 0, "unterminated string");
        assertError("#attempt > 'open", after, 11, "unterminated string");
        assertError("#attempt > 99999999999999999999", after, 11, "number out of range: 99999999999999999999");
        assertError("(#attempt > 1", after, 13, "expected ')'");
        assertError("#attempt > ", after, 11, "expression ends too early");
        assertError("invoice", after, 0, "unknown name 'invoice'");
        assertError("#attempt 1", after, 9, "unexpected '1'");
        assertError("", after, 0, "empty expression");
        assertError("#root.nope", after, 6, "unknown #root.nope");
        assertError("#result", ExpressionScope.of(method("notify"), true), 0, "returns void");
    }

    @Test
    void errorMessageShowsReasonPositionAndSource() {
        assertThatThrownBy(() -> Expression.compile("#email.", after))
                .isInstanceOf(ExpressionException.class)
                .hasMessage("expected a property name after '.' (at position 7 of \"#email.\")");
    }

    @Test
    void asyncResultIsTheCompletedValueWithUnknownType() throws Exception {
        ExpressionScope async = ExpressionScope.of(method("classifyAsync"), true);
        Expression e = Expression.compile("#result.classification", async);

        assertThat(e.evaluate(new EvaluationContext(null, new Object[] {EMAIL}, RESULT, null,
                "classifyAsync", Service.class))).isEqualTo("invoice");
    }

    @Test
    void propertyOfAPrivateImplementationIsReadThroughItsPublicInterface() throws Exception {
        Expression size = Expression.compile("#p0.size", ExpressionScope.of(
                Holder.class.getDeclaredMethod("take", List.class), true));

        Object value = size.evaluate(new EvaluationContext(null, new Object[] {List.of(1, 2, 3)}, null, null,
                "take", Holder.class));

        assertThat(value).isEqualTo(3);
    }

    static class Holder {
        void take(List<Integer> list) {
        }
    }

    private Object eval(String source) throws ExpressionException {
        return Expression.compile(source, after).evaluate(context(EMAIL, RESULT));
    }

    private boolean test(String source) throws ExpressionException {
        return Expression.compile(source, after).test(context(EMAIL, RESULT));
    }

    private static EvaluationContext context(Email email, Classification result) {
        Map<String, Object> headers = new HashMap<>();
        headers.put("from", "x@y.dk");
        return new EvaluationContext(new Service(), new Object[] {email, headers, new Bean(), 2}, result, null,
                "classify", Service.class);
    }

    private static void assertError(String source, ExpressionScope scope, int position, String reason) {
        assertThatThrownBy(() -> Expression.compile(source, scope))
                .as(source)
                .isInstanceOfSatisfying(ExpressionException.class, e -> {
                    assertThat(e.position()).as("position of " + source).isEqualTo(position);
                    assertThat(e.reason()).contains(reason);
                    assertThat(e.source()).isEqualTo(source);
                });
    }

    private static Method method(String name) {
        for (Method m : Service.class.getDeclaredMethods()) {
            if (m.getName().equals(name)) {
                return m;
            }
        }
        throw new IllegalArgumentException(name);
    }
}
