package io.mailtrail.agent.internal;

import java.lang.invoke.MethodType;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.util.ArrayList;
import java.util.List;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.method.ParameterDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.pool.TypePool;

/**
 * Parameter names of a method whose class was retransformed. HotSpot (17) rebuilds the class
 * file it hands to a retransforming agent without the {@code MethodParameters} attribute, so after
 * a runtime attach {@code Parameter.isNamePresent()} turns false and expressions such as
 * {@code #emailId} would no longer resolve. The class file on the class path still has them.
 */
final class ParameterNames {

    private ParameterNames() {
    }

    /** The names from the class file, {@code null} for unknown ones; empty when reflection knows them all. */
    static List<String> of(Method method) {
        Parameter[] parameters = method.getParameters();
        boolean allNamed = true;
        for (Parameter p : parameters) {
            allNamed &= p.isNamePresent();
        }
        if (allNamed) {
            return List.of();
        }
        Class<?> type = method.getDeclaringClass();
        String descriptor = MethodType.methodType(method.getReturnType(), method.getParameterTypes())
                .toMethodDescriptorString();
        try (ClassFileLocator locator = ClassFileLocator.ForClassLoader.of(type.getClassLoader())) {
            TypePool.Resolution resolution = TypePool.Default.of(locator).describe(type.getName());
            if (!resolution.isResolved()) {
                return List.of();
            }
            TypeDescription description = resolution.resolve();
            for (MethodDescription.InDefinedShape m : description.getDeclaredMethods()) {
                if (m.getInternalName().equals(method.getName()) && m.getDescriptor().equals(descriptor)) {
                    List<String> names = new ArrayList<>();
                    for (ParameterDescription.InDefinedShape p : m.getParameters()) {
                        names.add(p.isNamed() ? p.getName() : null);
                    }
                    return names;
                }
            }
        } catch (Exception | LinkageError e) {
            // fall back to #pN
        }
        return List.of();
    }
}
