package io.mailtrail.core.capture;

import java.util.List;

/**
 * Which frames of a logged exception are the application's ("in app", as error trackers call
 * them): an error event keeps those and counts the rest, so that a failure under Spring MVC shows
 * the two frames of the application instead of twenty of the servlet container, the security
 * chain and the dispatcher.
 *
 * <p>With no packages given (the default), a frame is the application's unless its class is in
 * one of {@link #FRAMEWORK_PACKAGES}; with packages given ({@code com.acme}, as Sentry's
 * {@code in-app-include}), only frames of classes in those packages are. Proxy, reflection and
 * woven-closure frames are never the application's, whatever their package.
 *
 * @param packages package names ({@code com.acme.billing}); empty: everything but the frameworks
 */
public record InAppFrames(List<String> packages) {

    /** Where a frame is a framework's by default: the JDK, Spring, servlet containers, weavers, test runners, Mailtrail. */
    public static final List<String> FRAMEWORK_PACKAGES = List.of("java.", "javax.", "jdk.", "sun.", "com.sun.",
            "jakarta.", "kotlin.", "org.springframework.", "org.apache.catalina.", "org.apache.coyote.",
            "org.apache.tomcat.", "org.eclipse.jetty.", "io.undertow.", "org.aspectj.", "net.bytebuddy.",
            "org.junit.", "org.apache.maven.surefire.", "org.gradle.", "io.mailtrail.core.", "io.mailtrail.aspect.",
            "io.mailtrail.agent.", "io.mailtrail.spring.", "io.mailtrail.web.");

    /** Parts of generated class names: proxies, CGLIB subclasses and AspectJ closures. */
    private static final List<String> GENERATED = List.of("$$SpringCGLIB$$", "$$EnhancerBySpringCGLIB$$",
            "$AjcClosure", "$Proxy", "jdk.proxy", "com.sun.proxy.");

    private static final InAppFrames DEFAULTS = new InAppFrames(List.of());

    public InAppFrames {
        packages = packages.stream().map(String::strip).filter(p -> !p.isEmpty())
                .map(p -> p.endsWith(".") ? p : p + ".").toList();
    }

    /** Everything outside {@link #FRAMEWORK_PACKAGES} is the application's. */
    public static InAppFrames defaults() {
        return DEFAULTS;
    }

    /** Whether a frame of {@code className} is the application's. */
    public boolean isInApp(String className) {
        for (String part : GENERATED) {
            if (className.contains(part)) {
                return false;
            }
        }
        if (packages.isEmpty()) {
            return !startsWithAny(className, FRAMEWORK_PACKAGES);
        }
        return startsWithAny(className, packages);
    }

    private static boolean startsWithAny(String className, List<String> prefixes) {
        for (String prefix : prefixes) {
            if (className.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }
}
