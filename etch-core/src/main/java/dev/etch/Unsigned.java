package dev.etch;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a Java integral type that holds a Rust unsigned integer, for codecs that follow Rust's
 * encodings (the postcard codec, {@link ValueCodec#postcard()}).
 *
 * <p>On {@code long}/{@code Long}, {@code int}/{@code Integer} and {@code short}/{@code Short}
 * it selects Rust's {@code u64}, {@code u32} and {@code u16}: postcard writes them as plain
 * varints instead of the zigzag varints of {@code i64}, {@code i32}, {@code i16}. The Java value
 * holds the same bits: a {@code u64} above {@link Long#MAX_VALUE} reads as a negative
 * {@code long} (use {@link Long#toUnsignedString(long)} and {@link Long#compareUnsigned} to work
 * with it). On {@code byte}/{@code Byte} it changes nothing (Rust {@code u8} and {@code i8} are
 * both one raw byte). On any other type, binding the codec fails with
 * {@link EtchSchemaException}.
 *
 * <p>Put it on a record component or on a type argument:
 * <pre>{@code
 * record Order(@Unsigned long id, List<@Unsigned Integer> quantities) {}
 * record Shop(@EtchCollection(0) Map<@Unsigned Long, Order> orders) {}
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.RECORD_COMPONENT, ElementType.TYPE_USE})
public @interface Unsigned {}
