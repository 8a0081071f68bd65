import type { RuleModule } from "../types.ts";
import fieldAccess from "./field-access.ts";
import invalidCast from "./invalid-cast.ts";
import unknownName from "./unknown-name.ts";
import mapKeys from "./map-keys.ts";
import operandTypes from "./operand-types.ts";
import returnType from "./return-type.ts";
import returnValueDiscarded from "./return-value-discarded.ts";
import unrollCount from "./unroll-count.ts";
import variableTypeMismatch from "./variable-type-mismatch.ts";
import voidValue from "./void-value.ts";
import variableShadowing from "./variable-shadowing.ts";
import unstableFeature from "./unstable-feature.ts";
import signedDivision from "./signed-division.ts";
import implicitIntegerCast from "./implicit-integer-cast.ts";
import unnecessaryCast from "./unnecessary-cast.ts";
import unreachableCode from "./unreachable-code.ts";
import debugfInProduction from "./debugf-in-production.ts";
import jumpOutsideLoop from "./jump-outside-loop.ts";
import broadWildcard from "./broad-wildcard.ts";
import callArguments from "./call-arguments.ts";
import commLength from "./comm-length.ts";
import compileTimeExpression from "./compile-time-expression.ts";
import configValue from "./config-value.ts";
import emptyPositionalParameter from "./empty-positional-parameter.ts";
import cppThis from "./cpp-this.ts";
import formatString from "./format-string.ts";
import hardcodedPid from "./hardcoded-pid.ts";
import invalidDirective from "./invalid-directive.ts";
import machineAttachPoint from "./machine-attach-point.ts";
import machineField from "./machine-field.ts";
import machineWildcard from "./machine-wildcard.ts";
import mapNeverDeleted from "./map-never-deleted.ts";
import mapNeverWritten from "./map-never-written.ts";
import mapUnboundedKey from "./map-unbounded-key.ts";
import mapValueKinds from "./map-value-kinds.ts";
import nixStorePath from "./nix-store-path.ts";
import probeContext from "./probe-context.ts";
import syntax from "./syntax.ts";
import timeUnitTruncation from "./time-unit-truncation.ts";
import variableOutOfScope from "./variable-out-of-scope.ts";
import variableUnused from "./variable-unused.ts";
import variableUseBeforeAssign from "./variable-use-before-assign.ts";
import versionCompat from "./version-compat.ts";

const list: RuleModule[] = [
  syntax,
  versionCompat,
  cppThis,
  nixStorePath,
  hardcodedPid,
  broadWildcard,
  probeContext,
  callArguments,
  formatString,
  mapNeverDeleted,
  mapUnboundedKey,
  mapValueKinds,
  mapKeys,
  variableTypeMismatch,
  voidValue,
  operandTypes,
  invalidCast,
  unknownName,
  fieldAccess,
  returnType,
  unrollCount,
  returnValueDiscarded,
  variableShadowing,
  unstableFeature,
  signedDivision,
  implicitIntegerCast,
  unnecessaryCast,
  unreachableCode,
  debugfInProduction,
  jumpOutsideLoop,
  compileTimeExpression,
  configValue,
  emptyPositionalParameter,
  mapNeverWritten,
  commLength,
  variableUseBeforeAssign,
  variableUnused,
  variableOutOfScope,
  timeUnitTruncation,
  machineAttachPoint,
  machineWildcard,
  machineField,
  invalidDirective,
];

/** Every rule by id, in a stable order. */
export const rules: Record<string, RuleModule> = Object.fromEntries(list.map((r) => [r.meta.id, r]));
