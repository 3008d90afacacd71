/** Injection tokens of the platform (apart from the module, so that its providers can import them without a cycle). */
export const SERVICE_CONFIG = Symbol('SERVICE_CONFIG');
export const SERVICE_NAME = Symbol('SERVICE_NAME');
