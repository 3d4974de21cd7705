package dev.etch.tx;

import com.google.common.collect.testing.MapTestSuiteBuilder;
import com.google.common.collect.testing.NavigableMapTestSuiteBuilder;
import com.google.common.collect.testing.TestStringMapGenerator;
import com.google.common.collect.testing.TestStringSortedMapGenerator;
import com.google.common.collect.testing.features.CollectionFeature;
import com.google.common.collect.testing.features.CollectionSize;
import com.google.common.collect.testing.features.MapFeature;
import dev.etch.persistent.PersistentHashMap;
import dev.etch.persistent.PersistentMap;
import dev.etch.persistent.PersistentTreeMap;
import java.util.Map;
import java.util.SortedMap;
import junit.framework.Test;
import dev.etch.persistent.GuavaSuiteRunner;
import junit.framework.TestSuite;

/** Runs Guava's Map and NavigableMap contract suites against the writable transaction views. */
class TxMapGuavaContractTests {

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
        TestSuite suite = new TestSuite("transaction views");
        suite.addTest(MapTestSuiteBuilder.using(new TestStringMapGenerator() {
                    @Override
                    protected Map<String, String> create(Map.Entry<String, String>[] entries) {
                        PersistentMap<String, String> m = PersistentHashMap.empty();
                        for (Map.Entry<String, String> e : entries) {
                            m = m.plus(e.getKey(), e.getValue());
                        }
                        return new TxMap<>(m, new RecordingRecorder<>());
                    }
                })
                .named("TxMap")
                .withFeatures(CollectionSize.ANY, MapFeature.GENERAL_PURPOSE, MapFeature.ALLOWS_ANY_NULL_QUERIES,
                        MapFeature.FAILS_FAST_ON_CONCURRENT_MODIFICATION, CollectionFeature.SUPPORTS_ITERATOR_REMOVE)
                .createTestSuite());
        suite.addTest(NavigableMapTestSuiteBuilder.using(new TestStringSortedMapGenerator() {
                    @Override
                    protected SortedMap<String, String> create(Map.Entry<String, String>[] entries) {
                        PersistentTreeMap<String, String> m = PersistentTreeMap.empty();
                        for (Map.Entry<String, String> e : entries) {
                            m = m.plus(e.getKey(), e.getValue());
                        }
                        return new TxNavigableMap<>(m, new RecordingRecorder<>());
                    }
                })
                .named("TxNavigableMap")
                .withFeatures(CollectionSize.ANY, CollectionFeature.KNOWN_ORDER, MapFeature.GENERAL_PURPOSE,
                        MapFeature.ALLOWS_ANY_NULL_QUERIES, MapFeature.FAILS_FAST_ON_CONCURRENT_MODIFICATION,
                        CollectionFeature.SUPPORTS_ITERATOR_REMOVE)
                .createTestSuite());
        return suite;
    }
}
