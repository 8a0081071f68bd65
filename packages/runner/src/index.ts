export { run, EXIT_NOT_STARTED, type RunOptions, type RunIO } from "./run.ts";
export { locateBpftrace, readVersion, parseVersion, readFeatures, type BpftraceVersion, type Features } from "./bpftrace.ts";
export { normalizeLine, normalizeEvent, type NormalizedEvent, type Bucket, type TimeUnit } from "./events.ts";
export { renderEvent, renderBuckets, bucketLabel, formatDuration } from "./histogram.ts";
export { parseDuration } from "./duration.ts";
export { inferHistogramUnits } from "./units.ts";
export { privilegeProblem, currentCredentials } from "./privileges.ts";
export { commandArgument, resolveProgram, shellQuote } from "./command.ts";
export { validate, type Finding } from "./validate.ts";
