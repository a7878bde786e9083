package io.mailtrail.benchmarks.scale;

import java.lang.reflect.Proxy;
import java.sql.Connection;
import javax.sql.DataSource;

/**
 * A {@link DataSource} that hands out one open connection again and again and ignores its
 * closing, as a pool does: {@code ActivityQueries} asks for a connection per call, and the
 * benchmark times the reads, not connecting.
 */
final class OneConnection {

    private OneConnection() {
    }

    static DataSource of(Connection connection) {
        Connection unclosable = (Connection) Proxy.newProxyInstance(OneConnection.class.getClassLoader(),
                new Class<?>[] {Connection.class}, (proxy, method, args) -> method.getName().equals("close")
                        ? null : invoke(method, connection, args));
        return (DataSource) Proxy.newProxyInstance(OneConnection.class.getClassLoader(),
                new Class<?>[] {DataSource.class}, (proxy, method, args) -> {
                    if (method.getName().equals("getConnection")) {
                        return unclosable;
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }

    private static Object invoke(java.lang.reflect.Method method, Object target, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (java.lang.reflect.InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
