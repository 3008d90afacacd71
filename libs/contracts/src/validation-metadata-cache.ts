import { getMetadataStorage } from 'class-validator';

/**
 * class-validator looks a class's rules up on every `validate` call: it filters the class's own
 * metadata and then walks every class that has any (hundreds here: each event and request class) to
 * find its ancestors. Consuming and publishing events, that lookup alone was 7 % of supervision's CPU.
 * The answer only changes when a decorator adds metadata, so it is kept per class and arguments
 * until then: every addition (a class loaded later) clears what was kept. Installed once per process,
 * on the one storage class-validator keeps globally.
 */
type Storage = ReturnType<typeof getMetadataStorage>;
type Lookup = Storage['getTargetValidationMetadatas'];

const INSTALLED = Symbol.for('backbone.validationMetadataCache');
const LISTENERS = Symbol.for('backbone.validationMetadataListeners');

type Marked = Storage & { [INSTALLED]?: true; [LISTENERS]?: Set<() => void> };

/**
 * Calls `listener` whenever a decorator adds rules to the storage from then on (what is kept from the
 * rules, such as compiled validators, must then be built again). Installs the cache if it is not.
 */
export function onValidationMetadataChange(listener: () => void, storage: Storage = getMetadataStorage()): void {
  cacheValidationMetadata(storage);
  (storage as Marked)[LISTENERS]!.add(listener);
}

export function cacheValidationMetadata(storage: Storage = getMetadataStorage()): void {
  const marked = storage as Marked;
  if (marked[INSTALLED]) return;
  marked[INSTALLED] = true;
  const listeners = (marked[LISTENERS] = new Set());
  let kept = new Map<unknown, Map<string, ReturnType<Lookup>>>();
  const lookup: Lookup = storage.getTargetValidationMetadatas.bind(storage);
  storage.getTargetValidationMetadatas = (targetConstructor, targetSchema, always, strictGroups, groups) => {
    const key = `${targetSchema}\u0000${always}\u0000${strictGroups}\u0000${groups?.join('\u0001') ?? ''}`;
    let forTarget = kept.get(targetConstructor);
    if (!forTarget) kept.set(targetConstructor, (forTarget = new Map()));
    let found = forTarget.get(key);
    if (!found) forTarget.set(key, (found = lookup(targetConstructor, targetSchema, always, strictGroups, groups)));
    return found;
  };
  const forget =
    <A>(add: (argument: A) => void) =>
    (argument: A) => {
      kept = new Map();
      add(argument);
      for (const listener of listeners) listener();
    };
  storage.addValidationMetadata = forget(storage.addValidationMetadata.bind(storage));
  storage.addConstraintMetadata = forget(storage.addConstraintMetadata.bind(storage));
  storage.addValidationSchema = forget(storage.addValidationSchema.bind(storage));
}
