// Chevrotain 13 uses Object.groupBy, which Node 20 lacks.
const ObjectWithGroupBy = Object as unknown as {
  groupBy?: <T, K extends PropertyKey>(items: Iterable<T>, key: (item: T, index: number) => K) => Partial<Record<K, T[]>>;
};
if (typeof ObjectWithGroupBy.groupBy !== "function") {
  ObjectWithGroupBy.groupBy = function groupBy<T, K extends PropertyKey>(items: Iterable<T>, key: (item: T, index: number) => K) {
    const out = Object.create(null) as Partial<Record<K, T[]>>;
    let i = 0;
    for (const item of items) {
      const k = key(item, i++);
      (out[k] ??= []).push(item);
    }
    return out;
  };
}
export {};
