package dev.etch.codec.postcard;

import java.lang.invoke.MethodHandle;

/**
 * A record as postcard writes a Rust struct: the components in declaration order, no names, no
 * count. Components are read and the record built through method handles resolved at bind
 * time; nothing is looked up per value.
 */
final class RecordCodec implements TypeCodec {

    private final Class<?> type;
    private String[] names;
    private MethodHandle[] accessors; // (Object)Object
    private TypeCodec[] components;
    private MethodHandle constructor; // (Object[])Object
    private int minSize;

    RecordCodec(Class<?> type) {
        this.type = type;
    }

    /**
     * Completes the codec; separate from construction so that recursive records can refer to it.
     * The handles come from {@link dev.etch.codec.Records}: accessors {@code (Object)Object}, the
     * constructor {@code (Object[])Object}.
     */
    void init(String[] names, MethodHandle[] accessors, TypeCodec[] components, MethodHandle constructor) {
        this.names = names;
        this.accessors = accessors;
        this.components = components;
        this.constructor = constructor;
        int min = 0;
        for (TypeCodec c : components) {
            min += c == this ? 0 : c.minSize();
        }
        this.minSize = min;
    }

    @Override
    public void write(Object value, PostcardOutput out) {
        for (int i = 0; i < components.length; i++) {
            Object v;
            try {
                v = (Object) accessors[i].invokeExact(value);
            } catch (Throwable t) {
                throw rethrow(t, "cannot read " + type.getSimpleName() + "." + names[i]);
            }
            if (v == null) {
                throw new IllegalArgumentException(type.getSimpleName() + "." + names[i]
                        + " is null; postcard has no null (declare it Optional)");
            }
            components[i].write(v, out);
        }
    }

    @Override
    public Object read(PostcardInput in) {
        Object[] args = new Object[components.length];
        for (int i = 0; i < components.length; i++) {
            args[i] = components[i].read(in);
        }
        try {
            return (Object) constructor.invokeExact(args);
        } catch (Throwable t) {
            throw rethrow(t, "the canonical constructor of " + type.getName() + " rejected the decoded components");
        }
    }

    @Override
    public int minSize() {
        return minSize;
    }

    private static RuntimeException rethrow(Throwable t, String what) {
        if (t instanceof Error e) {
            throw e;
        }
        if (t instanceof IllegalArgumentException || t instanceof MalformedPostcardException) {
            return (RuntimeException) t;
        }
        return new IllegalArgumentException(what + ": " + t, t);
    }
}
