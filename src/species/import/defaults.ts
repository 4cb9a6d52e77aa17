/**
 * Import defaults, apart from the modules that use them so that the command line can
 * show them without loading the decoders, the simplifier and the validator.
 */

/** Triangle budget for a whole imported model. */
export const DEFAULT_MAX_TRIANGLES = 40_000;

/** Limit on the model file plus its external files (real animal scans rarely exceed tens of MB). */
export const DEFAULT_MAX_BYTES = 256 * 1024 * 1024;
