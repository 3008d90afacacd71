import { IsInt, IsString, MetadataStorage, validateSync } from 'class-validator';
import { cacheValidationMetadata } from './validation-metadata-cache';

describe('cacheValidationMetadata', () => {
  it('answers a class lookup from what it kept, and again from the storage once a decorator adds rules', () => {
    const storage = new MetadataStorage();
    class Base {
      @IsString() name!: string;
    }
    class Child extends Base {
      @IsInt() rank!: number;
    }
    // The decorators wrote into the global storage; a private one is filled from it for this spec.
    const { getMetadataStorage } = jest.requireActual<typeof import('class-validator')>('class-validator');
    for (const target of [Base, Child])
      for (const meta of getMetadataStorage().getTargetValidationMetadatas(target, '', false, false))
        if (meta.target === target) storage.addValidationMetadata(meta);
    const uncached = storage.getTargetValidationMetadatas(Child, '', false, false);
    const lookups = jest.spyOn(storage, 'getTargetValidationMetadatas'); // the lookup the cache wraps
    cacheValidationMetadata(storage);
    cacheValidationMetadata(storage); // installed once
    const first = storage.getTargetValidationMetadatas(Child, '', false, false);
    expect(first.map((meta) => `${meta.propertyName}:${meta.name}`).sort()).toEqual(
      uncached.map((meta) => `${meta.propertyName}:${meta.name}`).sort(),
    );
    expect(storage.getTargetValidationMetadatas(Child, '', false, false)).toBe(first);
    expect(lookups).toHaveBeenCalledTimes(1);
    expect(storage.getTargetValidationMetadatas(Child, '', true, false)).not.toBe(first); // other arguments, own answer

    const added = uncached.find((meta) => meta.propertyName === 'rank');
    storage.addValidationMetadata(Object.assign(Object.create(Object.getPrototypeOf(added)), added, { propertyName: 'level' }));
    const after = storage.getTargetValidationMetadatas(Child, '', false, false);
    expect(after).not.toBe(first);
    expect(after.map((meta) => meta.propertyName)).toContain('level');
  });

  it('leaves validation as it was (the global storage, as the contracts install it)', () => {
    class Probe {
      @IsString() name!: string;
    }
    expect(validateSync(Object.assign(new Probe(), { name: 3 })).map((error) => error.property)).toEqual(['name']);
    expect(validateSync(Object.assign(new Probe(), { name: 'x' }))).toEqual([]);
  });
});
