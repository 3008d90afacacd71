/** Injection tokens of the platform (apart from the module, so that its providers can import them without a cycle). */
export const SERVICE_CONFIG = Symbol('SERVICE_CONFIG');
export const SERVICE_NAME = Symbol('SERVICE_NAME');
/** The service's pino logger (the one nestjs-pino's Logger writes to): the request lines go to it too. */
export const SERVICE_LOGGER = Symbol('SERVICE_LOGGER');
