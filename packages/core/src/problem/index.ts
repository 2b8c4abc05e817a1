export { catalogProblem, type ProblemReason, problemCatalog } from './catalog.js'
export { type Problem, problemContentType, problemTypePrefix, statusProblem, statusTitle } from './problem.js'
export { SecProblemError } from './problem-error.js'
