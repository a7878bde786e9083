package io.mailtrail.agent.internal;

import java.util.Map;
import java.util.WeakHashMap;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.pool.TypePool;

/**
 * One type pool cache per class loader, so that the super types an {@code implements} rule
 * resolves (and {@code java.lang.Object}) are parsed once per loader rather than once per
 * loaded class. Weak keys: a redeployed loader is not kept alive; soft values: the cache gives
 * way under memory pressure.
 */
final class CachingPoolStrategy extends AgentBuilder.PoolStrategy.WithTypePoolCache {

    private final Map<ClassLoader, TypePool.CacheProvider> byLoader = new WeakHashMap<>();
    private final TypePool.CacheProvider bootstrap = new TypePool.CacheProvider.Simple.UsingSoftReference();

    CachingPoolStrategy() {
        super(TypePool.Default.ReaderMode.FAST);
    }

    @Override
    protected TypePool.CacheProvider locate(ClassLoader loader) {
        if (loader == null) {
            return bootstrap;
        }
        synchronized (byLoader) {
            return byLoader.computeIfAbsent(loader, l -> new TypePool.CacheProvider.Simple.UsingSoftReference());
        }
    }
}
