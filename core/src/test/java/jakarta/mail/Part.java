package jakarta.mail;

/** Test stand-in with the name of Jakarta Mail's interface; the real library is not a dependency. */
public interface Part {
    String getContentType();

    int getSize();

    String getFileName();
}
