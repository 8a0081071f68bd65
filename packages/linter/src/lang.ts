/** Language facts for the rules: they live with the semantic model in @bt/semantic. */
export { builtinFacts, configFacts, functionFacts, knownCall, probeFacts } from "@bt/semantic";
export type { BuiltinFacts, ConfigFacts, FunctionFacts, ProbeFacts } from "@bt/semantic";
