export * from './codes.js';
export * from './limits.js';
export * from './json-guard.js';
export * from './context.js';
export * from './event.js';
export * from './json-schema.js';
export * from './definitions.js';
export * from './destinations.js';
