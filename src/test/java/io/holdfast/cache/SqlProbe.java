package io.holdfast.cache;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import javax.sql.DataSource;

import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.datasource.DelegatingDataSource;

/**
 * Watches the SQL a server sends: counts the statements that read confirmed bookings for availability (one per
 * database load of a staff day) and can hold the next such statement after it ran, until released, so a test can
 * make an invalidation land while a load is under way.
 */
public final class SqlProbe {

    /** The query of {@code BookedGranules.between}: one per load of a staff day. */
    static final String BOOKED_READ = "FROM booked_granule WHERE staff_id = ? AND granule >= ?";

    private final AtomicInteger bookedReads = new AtomicInteger();
    private final AtomicInteger statements = new AtomicInteger();
    private final AtomicReference<Barrier> armed = new AtomicReference<>();

    public int bookedReads() {
        return bookedReads.get();
    }

    public int statements() {
        return statements.get();
    }

    public void reset() {
        bookedReads.set(0);
        statements.set(0);
    }

    /** The next booked-granule read will wait, after it ran, until the barrier is released. */
    Barrier holdNextBookedRead() {
        Barrier barrier = new Barrier();
        armed.set(barrier);
        return barrier;
    }

    static final class Barrier {

        private final CountDownLatch reached = new CountDownLatch(1);
        private final CountDownLatch released = new CountDownLatch(1);

        boolean awaitReached() throws InterruptedException {
            return reached.await(30, TimeUnit.SECONDS);
        }

        void release() {
            released.countDown();
        }
    }

    private void executed(String sql) throws InterruptedException {
        statements.incrementAndGet();
        if (sql.contains(BOOKED_READ)) {
            bookedReads.incrementAndGet();
            Barrier barrier = armed.getAndSet(null);
            if (barrier != null) {
                barrier.reached.countDown();
                if (!barrier.released.await(30, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("barrier never released");
                }
            }
        }
    }

    DataSource wrap(DataSource target) {
        return new Probed(target);
    }

    /** The probe's own wrapper: known by its class, so the probe wraps a server's DataSource once, whatever else does. */
    private final class Probed extends DelegatingDataSource {

        Probed(DataSource target) {
            super(target);
        }

        @Override
        public Connection getConnection() throws SQLException {
            return connection(super.getConnection());
        }

        @Override
        public Connection getConnection(String username, String password) throws SQLException {
            return connection(super.getConnection(username, password));
        }
    }

    private Connection connection(Connection target) {
        InvocationHandler handler = (proxy, method, args) -> {
            Object result = invoke(target, method, args);
            if (method.getName().equals("prepareStatement") && result instanceof PreparedStatement statement) {
                return statement(statement, (String) args[0]);
            }
            return result;
        };
        return (Connection) Proxy.newProxyInstance(SqlProbe.class.getClassLoader(), new Class<?>[] {Connection.class},
                handler);
    }

    private PreparedStatement statement(PreparedStatement target, String sql) {
        InvocationHandler handler = (proxy, method, args) -> {
            Object result = invoke(target, method, args);
            if (method.getName().startsWith("execute")) {
                executed(sql);
            }
            return result;
        };
        return (PreparedStatement) Proxy.newProxyInstance(SqlProbe.class.getClassLoader(),
                new Class<?>[] {PreparedStatement.class}, handler);
    }

    private static Object invoke(Object target, java.lang.reflect.Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException failed) {
            throw failed.getCause();
        }
    }

    /**
     * Add to a server's sources (or {@code @Import} it) to put a probe in front of its DataSource. Not annotated
     * {@code @Configuration}, so component scanning does not put a probe into every server the tests start.
     */
    public static class Installed {

        @Bean
        static SqlProbe sqlProbe() {
            return new SqlProbe();
        }

        @Bean
        static BeanPostProcessor sqlProbeWrapper(org.springframework.beans.factory.ObjectProvider<SqlProbe> probe) {
            return new BeanPostProcessor() {
                @Override
                public Object postProcessAfterInitialization(Object bean, String name) {
                    // Not "any DelegatingDataSource": the server's own fail-fast gate is one, and wraps the pool.
                    return bean instanceof DataSource dataSource && !(bean instanceof Probed)
                            ? probe.getObject().wrap(dataSource) : bean;
                }
            };
        }
    }
}
