/**
 * Auto-configuration of Etch: stores from {@code etch.stores.*}, their transaction managers and
 * {@code @EtchTransactional} advice, their lifecycle and the startup failure analysis.
 */
package dev.etch.spring.autoconfigure;
