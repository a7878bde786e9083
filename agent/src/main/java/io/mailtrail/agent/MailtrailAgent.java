package io.mailtrail.agent;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.instrument.Instrumentation;
import java.lang.reflect.InvocationTargetException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;

/**
 * Entry points of {@code mailtrail-agent.jar}: {@code premain} ({@code -javaagent:}),
 * {@code agentmain} (runtime attach) and {@code main} (the {@code attach} command).
 *
 * <p>Does as little as possible and never lets anything escape into the host: it appends the
 * dispatcher to the bootstrap class path, then hands over, by reflection, to
 * {@code io.mailtrail.agent.internal.AgentInstaller}. By reflection, so that not even the
 * verifier of this class loads an agent class before the bootstrap copy of the dispatcher exists.
 */
public final class MailtrailAgent {

    static final String PREFIX = "[mailtrail-agent] ";
    private static final String DISPATCH = "io.mailtrail.agent.bootstrap.MailtrailDispatch";
    private static final String[] BOOTSTRAP_CLASSES = {
        "io/mailtrail/agent/bootstrap/MailtrailDispatch.class",
        "io/mailtrail/agent/bootstrap/MailtrailDispatch$Handler.class",
    };
    private static final String INSTALLER = "io.mailtrail.agent.internal.AgentInstaller";

    private MailtrailAgent() {
    }

    public static void premain(String args, Instrumentation inst) {
        start(args, inst, false);
    }

    public static void agentmain(String args, Instrumentation inst) {
        start(args, inst, true);
    }

    /**
     * {@code java -jar mailtrail-agent.jar attach <pid> [config=/path/mailtrail-agent.yaml]}:
     * loads this jar into the running JVM {@code pid} with the same arguments as {@code -javaagent}.
     */
    public static void main(String[] args) throws Exception {
        if (args.length < 2 || !args[0].equals("attach")) {
            System.err.println("usage: java -jar mailtrail-agent.jar attach <pid> [config=/path/mailtrail-agent.yaml]");
            System.exit(2);
            return;
        }
        String agentArgs = args.length > 2 ? String.join(",", java.util.Arrays.copyOfRange(args, 2, args.length)) : "";
        String jar = new File(MailtrailAgent.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                .getAbsolutePath();
        com.sun.tools.attach.VirtualMachine vm = com.sun.tools.attach.VirtualMachine.attach(args[1]);
        try {
            vm.loadAgent(jar, agentArgs);
        } finally {
            vm.detach();
        }
        System.out.println(PREFIX + "attached to " + args[1] + "; its report is on that process's standard error");
    }

    private static void start(String args, Instrumentation inst, boolean attached) {
        try {
            appendDispatcherToBootstrap(inst);
            Class.forName(INSTALLER, true, MailtrailAgent.class.getClassLoader())
                    .getMethod("install", String.class, Instrumentation.class, boolean.class)
                    .invoke(null, args, inst, attached);
        } catch (Throwable t) {
            Throwable cause = t instanceof InvocationTargetException && t.getCause() != null ? t.getCause() : t;
            System.err.println(PREFIX + "could not start; the application runs uninstrumented: " + cause);
        }
    }

    /**
     * Writes the dispatcher's class files into a small temporary jar and appends it to the
     * bootstrap search path, unless an earlier attach did so already.
     */
    private static void appendDispatcherToBootstrap(Instrumentation inst) throws IOException {
        try {
            Class.forName(DISPATCH, false, null);
            return; // already on the bootstrap path
        } catch (ClassNotFoundException expected) {
            // first start in this JVM
        }
        Path jar = Files.createTempFile("mailtrail-agent-bootstrap", ".jar");
        jar.toFile().deleteOnExit();
        try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file)) {
            for (String name : BOOTSTRAP_CLASSES) {
                try (InputStream in = MailtrailAgent.class.getClassLoader().getResourceAsStream(name)) {
                    if (in == null) {
                        throw new IOException("the agent jar lacks " + name);
                    }
                    out.putNextEntry(new JarEntry(name));
                    in.transferTo(out);
                    out.closeEntry();
                }
            }
        }
        inst.appendToBootstrapClassLoaderSearch(new JarFile(jar.toFile()));
    }
}
