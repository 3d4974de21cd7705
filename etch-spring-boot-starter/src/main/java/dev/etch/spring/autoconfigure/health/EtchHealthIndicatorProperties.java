package dev.etch.spring.autoconfigure.health;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * Settings of the Etch health indicator, bound from {@code management.health.etch.*}.
 */
@ConfigurationProperties("management.health.etch")
public class EtchHealthIndicatorProperties {

    /**
     * Free space on a store's file system below which the store is reported down. A
     * snapshot rewrites the whole state, so keep this above the largest snapshot expected.
     */
    private DataSize freeDiskThreshold = DataSize.ofMegabytes(64);

    /**
     * The free-space threshold.
     *
     * @return the threshold
     */
    public DataSize getFreeDiskThreshold() {
        return freeDiskThreshold;
    }

    /**
     * Sets the free-space threshold.
     *
     * @param freeDiskThreshold the threshold
     */
    public void setFreeDiskThreshold(DataSize freeDiskThreshold) {
        this.freeDiskThreshold = freeDiskThreshold;
    }
}
