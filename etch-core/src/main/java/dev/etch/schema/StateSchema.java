package dev.etch.schema;

import dev.etch.EtchCollection;
import dev.etch.EtchSchemaException;
import dev.etch.ValueCodec;
import dev.etch.codec.KeyCodec;
import dev.etch.codec.Records;
import java.lang.invoke.MethodHandle;
import java.lang.reflect.AnnotatedParameterizedType;
import java.lang.reflect.AnnotatedType;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.SortedMap;

/**
 * A validated state type: a record whose components are maps, each tagged with a unique
 * {@link EtchCollection} id. Built once when a store opens; every rule is checked here so that
 * a bad type fails before any file is touched.
 *
 * @param <T> the state record type
 */
public final class StateSchema<T> {

    private static final int MAX_ID = 255;

    private final Class<T> type;
    private final List<CollectionSchema<?, ?>> collections;
    private final CollectionSchema<?, ?>[] byId = new CollectionSchema<?, ?>[MAX_ID + 1];
    private final MethodHandle constructor;

    private StateSchema(Class<T> type, List<CollectionSchema<?, ?>> collections) {
        this.type = type;
        this.collections = List.copyOf(collections);
        for (CollectionSchema<?, ?> c : collections) {
            byId[c.id()] = c;
        }
        this.constructor = Records.canonicalConstructor(type);
    }

    /**
     * Validates a state type and binds its collections to their codecs.
     *
     * @param type the state record type
     * @param codec the store's value codec
     * @param <T> the state type
     * @return the schema
     * @throws EtchSchemaException naming the type, the component and the fix when the type is
     *     not a record of annotated maps with unique ids in 0..255 and supported key types, or
     *     when the codec cannot handle a value type
     */
    public static <T> StateSchema<T> of(Class<T> type, ValueCodec codec) {
        String typeName = type.getName();
        if (!type.isRecord()) {
            throw new EtchSchemaException(typeName + " is not a record. Declare the state as a record of maps, e.g."
                    + " record " + type.getSimpleName() + "(@EtchCollection(0) Map<String, Item> items) {}");
        }
        RecordComponent[] components = type.getRecordComponents();
        if (components.length == 0) {
            throw new EtchSchemaException(typeName + " has no components. Give it at least one collection, e.g."
                    + " @EtchCollection(0) Map<String, Item> items");
        }
        List<CollectionSchema<?, ?>> collections = new ArrayList<>();
        CollectionSchema<?, ?>[] seen = new CollectionSchema<?, ?>[MAX_ID + 1];
        for (int i = 0; i < components.length; i++) {
            RecordComponent component = components[i];
            String where = type.getSimpleName() + "." + component.getName();
            EtchCollection annotation = component.getAnnotation(EtchCollection.class);
            if (annotation == null) {
                throw new EtchSchemaException(where + " has no @EtchCollection id. Annotate every component of "
                        + typeName + " with @EtchCollection(n), n unique in 0..255 and never changed once data exists.");
            }
            int id = annotation.value();
            if (id < 0 || id > MAX_ID) {
                throw new EtchSchemaException(where + ": @EtchCollection(" + id + ") is out of range. Collection ids"
                        + " are 0..255 (one byte in the log).");
            }
            if (seen[id] != null) {
                throw new EtchSchemaException(where + ": @EtchCollection(" + id + ") is also used by "
                        + type.getSimpleName() + "." + seen[id].name() + ". Give each collection a unique id.");
            }
            Class<?> raw = component.getType();
            boolean sorted;
            if (raw == Map.class) {
                sorted = false;
            } else if (raw == NavigableMap.class || raw == SortedMap.class) {
                sorted = true;
            } else {
                throw new EtchSchemaException(where + " is declared as " + component.getGenericType().getTypeName()
                        + ". Collections must be declared as Map<K, V> (unordered) or NavigableMap<K, V> / SortedMap<K, V>"
                        + " (sorted by key); Etch supplies the implementations.");
            }
            if (!(component.getAnnotatedType() instanceof AnnotatedParameterizedType parameterized)) {
                throw new EtchSchemaException(where + " is a raw " + raw.getSimpleName()
                        + ". Declare its key and value types, e.g. Map<String, Item>.");
            }
            AnnotatedType[] arguments = parameterized.getAnnotatedActualTypeArguments();
            KeyCodec<?> keys = KeyCodec.forType(arguments[0], where);
            ValueCodec.Binding<?> values;
            if (!(arguments[1].getType() instanceof Class<?>)
                    && !(arguments[1].getType() instanceof java.lang.reflect.ParameterizedType)) {
                throw new EtchSchemaException(where + ": value type " + arguments[1].getType().getTypeName()
                        + " is not a concrete type. Use a concrete value type such as a record.");
            }
            try {
                values = codec.bind(arguments[1]);
            } catch (EtchSchemaException e) {
                throw new EtchSchemaException(where + ": " + e.getMessage(), e);
            } catch (RuntimeException e) {
                throw new EtchSchemaException(where + ": the value codec " + codec.name() + " cannot handle "
                        + arguments[1].getType().getTypeName() + ": " + e.getMessage(), e);
            }
            CollectionSchema<?, ?> collection = collection(id, i, component.getName(), type.getSimpleName(), sorted,
                    keys, values);
            seen[id] = collection;
            collections.add(collection);
        }
        StateSchema<T> schema = new StateSchema<>(type, collections);
        schema.checkConstructorKeepsMaps(components);
        return schema;
    }

    /**
     * Snapshots and transaction views only work if the record stores the very maps it is
     * given; a compact constructor that copies them (Map.copyOf, new HashMap<>(...)) would
     * make every write vanish into a copy.
     */
    private void checkConstructorKeepsMaps(RecordComponent[] components) {
        Object[] maps = emptyMaps();
        T state = newState(maps);
        for (int i = 0; i < components.length; i++) {
            if (Records.get(Records.accessor(components[i]), state) != maps[i]) {
                throw new EtchSchemaException(type.getSimpleName() + "." + components[i].getName()
                        + ": the record's constructor replaces the map it is given (a copy or a wrapper)."
                        + " Remove that from the constructor: Etch passes immutable snapshots to readers and"
                        + " transaction views to writers, and needs the record to keep them as they are.");
            }
        }
    }

    private static <K, V> CollectionSchema<K, V> collection(int id, int index, String name, String owner,
            boolean sorted, KeyCodec<K> keys, ValueCodec.Binding<V> values) {
        return new CollectionSchema<>(id, index, name, owner, sorted, keys, values);
    }

    /**
     * The state record type.
     *
     * @return the class
     */
    public Class<T> type() {
        return type;
    }

    /**
     * The collections in record-component order.
     *
     * @return the collections, unmodifiable
     */
    public List<CollectionSchema<?, ?>> collections() {
        return collections;
    }

    /**
     * The collection with a given id.
     *
     * @param id a collection id as read from the log
     * @return the collection, or {@code null} if the state type has no such id
     */
    public CollectionSchema<?, ?> byId(int id) {
        return id >= 0 && id <= MAX_ID ? byId[id] : null;
    }

    /**
     * Creates a state record from one map per component, in component order.
     *
     * @param maps the maps
     * @return the state record
     */
    public T newState(Object[] maps) {
        return type.cast(Records.construct(constructor, maps));
    }

    /**
     * An empty state: every collection an empty persistent map.
     *
     * @return the state record
     */
    public Object[] emptyMaps() {
        Object[] maps = new Object[collections.size()];
        for (CollectionSchema<?, ?> c : collections) {
            maps[c.index()] = c.emptyMap();
        }
        return maps;
    }
}
