package dev.etch.persistent;

import com.google.common.collect.testing.MapTestSuiteBuilder;
import com.google.common.collect.testing.NavigableMapTestSuiteBuilder;
import com.google.common.collect.testing.TestStringMapGenerator;
import com.google.common.collect.testing.TestStringSortedMapGenerator;
import com.google.common.collect.testing.features.CollectionFeature;
import com.google.common.collect.testing.features.CollectionSize;
import com.google.common.collect.testing.features.MapFeature;
import java.util.Map;
import java.util.SortedMap;
import junit.framework.Test;
import junit.framework.TestSuite;

/** Runs Guava's Map and NavigableMap contract suites against the read-only persistent maps. */
class PersistentMapGuavaContractTests {

    /*
     * Guava's suites are JUnit 3 suites of several thousand tests. Run through the vintage
     * engine, surefire spends minutes bookkeeping a "class" per tester; run here, they take
     * a few seconds and every failure is listed in the assertion message.
     */
    @org.junit.jupiter.api.Test
    void guavaContractSuitesPass() {
        GuavaSuiteRunner.assertPasses(suite());
    }

    static Test suite() {
        TestSuite suite = new TestSuite("persistent maps");
        suite.addTest(MapTestSuiteBuilder.using(new TestStringMapGenerator() {
                    @Override
                    protected Map<String, String> create(Map.Entry<String, String>[] entries) {
                        PersistentMap<String, String> m = PersistentHashMap.empty();
                        for (Map.Entry<String, String> e : entries) {
                            m = m.plus(e.getKey(), e.getValue());
                        }
                        return m;
                    }
                })
                .named("PersistentHashMap")
                .withFeatures(CollectionSize.ANY, MapFeature.ALLOWS_ANY_NULL_QUERIES)
                .createTestSuite());
        suite.addTest(NavigableMapTestSuiteBuilder.using(new TestStringSortedMapGenerator() {
                    @Override
                    protected SortedMap<String, String> create(Map.Entry<String, String>[] entries) {
                        PersistentMap.Builder<String, String> b = PersistentTreeMap.<String, String>empty().toBuilder();
                        for (Map.Entry<String, String> e : entries) {
                            b.put(e.getKey(), e.getValue());
                        }
                        return (PersistentTreeMap<String, String>) b.build();
                    }
                })
                .named("PersistentTreeMap")
                .withFeatures(CollectionSize.ANY, CollectionFeature.KNOWN_ORDER, MapFeature.ALLOWS_ANY_NULL_QUERIES)
                .createTestSuite());
        return suite;
    }
}
