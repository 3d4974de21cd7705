package dev.etch.codec;

import dev.etch.EtchSchemaException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.RecordComponent;
import java.util.Arrays;

/**
 * Reflective access to records, resolved once into method handles so that per-value work
 * does no lookups. Shared by the state schema, composite keys and codecs.
 */
public final class Records {

    private Records() {}

    /**
     * The canonical constructor of a record type, adapted to take an {@code Object[]} of its
     * components in declaration order and return {@code Object}.
     *
     * @param type the record type
     * @return the handle
     * @throws EtchSchemaException if the constructor is not accessible
     */
    public static MethodHandle canonicalConstructor(Class<?> type) {
        Class<?>[] parameterTypes = Arrays.stream(type.getRecordComponents())
                .map(RecordComponent::getType).toArray(Class<?>[]::new);
        try {
            var constructor = type.getDeclaredConstructor(parameterTypes);
            constructor.setAccessible(true);
            return MethodHandles.lookup().unreflectConstructor(constructor)
                    .asType(MethodType.methodType(Object.class, parameterTypes))
                    .asSpreader(Object[].class, parameterTypes.length);
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new EtchSchemaException("Cannot access the canonical constructor of record " + type.getName()
                    + ": " + e + ". Make the record (and its enclosing classes) accessible, e.g. public.", e);
        }
    }

    /**
     * The accessor of a record component, adapted to {@code (Object)Object}.
     *
     * @param component the component
     * @return the handle
     * @throws EtchSchemaException if the accessor is not accessible
     */
    public static MethodHandle accessor(RecordComponent component) {
        try {
            var method = component.getAccessor();
            method.setAccessible(true);
            return MethodHandles.lookup().unreflect(method)
                    .asType(MethodType.methodType(Object.class, Object.class));
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new EtchSchemaException("Cannot access component " + component.getName() + " of record "
                    + component.getDeclaringRecord().getName() + ": " + e
                    + ". Make the record accessible, e.g. public.", e);
        }
    }

    /**
     * Calls a handle from {@link #canonicalConstructor}.
     *
     * @param constructor the handle
     * @param components the component values in declaration order
     * @return the new record
     */
    public static Object construct(MethodHandle constructor, Object[] components) {
        try {
            return constructor.invokeExact(components);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Calls a handle from {@link #accessor}.
     *
     * @param accessor the handle
     * @param record the record instance
     * @return the component's value
     */
    public static Object get(MethodHandle accessor, Object record) {
        try {
            return accessor.invokeExact(record);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
    }
}
