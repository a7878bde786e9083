package io.mailtrail.core.expression;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.Method;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code #entry}, {@code #changes}, {@code #it} and {@code #index}: what compiles, and how slots are read. */
class EntryExpressionTest {

    public static final class Ticket {
        public String status = "closed";
    }

    static class Service {
        String change(Ticket ticket, String status, int index) {
            return null;
        }

        void batch(List<Ticket> tickets) {
        }
    }

    private final Method change = method("change");
    private final Method batch = method("batch");

    @Test
    void entryReadsTheSlotTakenAtEntryAndSharesSlotsAcrossTheScope() throws Exception {
        ExpressionScope scope = ExpressionScope.of(change, true);
        Expression old = Expression.compile("#entry(#ticket.status)", scope);
        Template text = Template.compile("#{#entry( #ticket.status )} -> #{#ticket.status}", scope);
        Expression folder = Expression.compile("#entry(#ticket).folder", scope);

        assertThat(scope.entrySlots().slots()).extracting(EntrySlots.Slot::source)
                .containsExactly("#ticket.status", "#ticket");
        Ticket ticket = new Ticket();
        EvaluationContext entry = new EvaluationContext(null, new Object[] {ticket, "open", 0}, null, null, "change",
                Service.class);
        Object[] taken = {scope.entrySlots().slots().get(0).evaluate(entry), Map.of("folder", "Inbox")};
        ticket.status = "open";
        EvaluationContext done = entry.withEntryValues(taken, v -> v);

        assertThat(old.evaluate(done)).isEqualTo("closed");
        assertThat(text.render(done, String::valueOf)).isEqualTo("closed -> open");
        assertThat(folder.evaluate(done)).isEqualTo("Inbox");
    }

    @Test
    void aSlotThatFailedAtEntryFailsWhenRead() throws Exception {
        ExpressionScope scope = ExpressionScope.of(change, true);
        Expression old = Expression.compile("#entry(#ticket.status)", scope);
        EvaluationContext done = new EvaluationContext(null, new Object[] {null, "open", 0}, null, null, "change",
                Service.class).withEntryValues(new Object[] {EntrySlots.unavailable("can not read 'status' of null")},
                        v -> v);

        assertThatThrownBy(() -> old.evaluate(done)).isInstanceOf(EvaluationException.class)
                .hasMessage("#entry(#ticket.status) failed at entry: can not read 'status' of null");
    }

    @Test
    void changesListsTheFieldsThatDiffer() throws Exception {
        ExpressionScope scope = ExpressionScope.of(change, true);
        Expression changes = Expression.compile("#changes(#ticket)", scope);
        Object before = Map.of("status", "closed", "owner", "ann");
        EvaluationContext done = new EvaluationContext(null, new Object[] {new Ticket(), "open", 0}, null, null,
                "change", Service.class).withEntryValues(new Object[] {before}, v -> Map.of("status", "open",
                        "owner", "ann", "note", "new"));

        assertThat(changes.evaluate(done)).isEqualTo(Map.of("status", List.of("closed", "open"),
                "note", java.util.Arrays.asList(null, "new")));
        assertThat(scope.entrySlots().slots()).singleElement().satisfies(slot -> assertThat(slot.changes()).isTrue());
    }

    @Test
    void resultAndExceptionInsideEntryAreReportedByName() {
        ExpressionScope scope = ExpressionScope.of(change, true);

        assertThatThrownBy(() -> Expression.compile("#entry(#result)", scope))
                .isInstanceOf(ExpressionException.class).hasMessageContaining("#entry(...) can not read #result");
        assertThatThrownBy(() -> Template.compile("was #{#entry(#ex.message)}", scope))
                .isInstanceOf(ExpressionException.class).hasMessageContaining("#entry(...) can not read #ex");
        assertThatThrownBy(() -> Expression.compile("#changes(#result)", scope))
                .hasMessageContaining("#changes(...) can not read #result");
        assertThatThrownBy(() -> Expression.compile("#entry(#entry(#status))", scope))
                .hasMessageContaining("#entry(...) can not be used inside #entry(...)");
        assertThatThrownBy(() -> Expression.compile("#entry(#status", scope))
                .hasMessageContaining("expected ')'");
    }

    @Test
    void changesIsNotAvailableAtStart() {
        assertThatThrownBy(() -> Expression.compile("#changes(#ticket)", ExpressionScope.of(change, false)))
                .hasMessageContaining("#changes(...) is not available before the call (phase START)");
    }

    @Test
    void itAndIndexNeedForEachUnlessAParameterHasTheName() throws Exception {
        ExpressionScope scope = ExpressionScope.of(batch, true);

        assertThatThrownBy(() -> Expression.compile("#it.status", scope))
                .hasMessageContaining("#it is only available with forEach");
        assertThatThrownBy(() -> Expression.compile("#index", scope))
                .hasMessageContaining("#index is only available with forEach");
        // A parameter named index is still itself without forEach.
        assertThat(Expression.compile("#index", ExpressionScope.of(change, true)).usesArgument(2)).isTrue();

        ExpressionScope each = scope.withForEach();
        Expression status = Expression.compile("#it.status", each);
        Expression index = Expression.compile("#index", each);
        EvaluationContext element = new EvaluationContext(null, new Object[] {List.of()}, null, null, "batch",
                Service.class).forElement(new Ticket(), 4);
        assertThat(status.evaluate(element)).isEqualTo("closed");
        assertThat(index.evaluate(element)).isEqualTo(4);
        Expression.compile("#entry(#it.status)", each);
        assertThat(each.entrySlots().slots()).singleElement()
                .satisfies(slot -> assertThat(slot.perElement()).isTrue());
    }

    @Test
    void aParameterNamedEntryIsStillAParameter() throws Exception {
        Method m = Arrays.class.getDeclaredMethod("entry", Object.class);
        assertThat(Expression.compile("#entry", ExpressionScope.of(m, true)).usesArgument(0)).isTrue();
    }

    static final class Arrays {
        static void entry(Object entry) {
        }
    }

    private static Method method(String name) {
        for (Method m : Service.class.getDeclaredMethods()) {
            if (m.getName().equals(name)) {
                return m;
            }
        }
        throw new AssertionError(name);
    }
}
