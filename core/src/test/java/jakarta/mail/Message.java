package jakarta.mail;

/** Test stand-in with the name of Jakarta Mail's class. */
public abstract class Message implements Part {
    public abstract String getSubject();

    /** A real message's body may be large: the capture must not read it. */
    public Object getContent() {
        throw new AssertionError("content must not be read");
    }
}
