import type { ResolverError } from "../../../src/contract.js"
import { describeError } from "../errors.js"

export interface NoticeAction {
  readonly label: string
  readonly run: () => void
}

/** An error as sentences: what happened, Jira's own words, and what to do next. */
export const ErrorNotice = ({
  error,
  action,
  testId,
}: {
  error: ResolverError
  action?: NoticeAction | undefined
  testId?: string
}) => {
  const problem = describeError(error)
  return (
    <div class="notice notice-error" role="alert" data-testid={testId}>
      <p class="notice-heading">{problem.heading}</p>
      <p>{problem.message}</p>
      {problem.details.length > 0 && (
        <ul class="notice-details">
          {problem.details.map((line) => (
            <li key={line}>{line}</li>
          ))}
        </ul>
      )}
      {problem.next !== undefined && <p>{problem.next}</p>}
      {action !== undefined && (
        <button type="button" class="button" onClick={action.run}>
          {action.label}
        </button>
      )}
    </div>
  )
}
