/**
 * Which seeded users the local host, the tests and the saved filters treat as the administrator and
 * the restricted user. The generated data set has these account ids; a hand-written one falls back
 * to the first user who can log in with (or without) hidden projects.
 */
import type { Dataset, UserRecord } from "../model.js"

export const ADMIN_ACCOUNT_ID = "5b10a2844c20165700ede21g"
export const RESTRICTED_ACCOUNT_ID = "5b10ac8d82e05b22cc7d4ef5"

export type AccountRole = "admin" | "restricted"

/** The user playing `role` in this data set, or undefined when nobody can log in. */
export const userInRole = (dataset: Dataset, role: AccountRole): UserRecord | undefined => {
  const hidden = role === "restricted"
  return (
    dataset.userByAccountId(hidden ? RESTRICTED_ACCOUNT_ID : ADMIN_ACCOUNT_ID) ??
    dataset.users.find((u) => u.loginEmail !== null && u.hiddenProjects.size > 0 === hidden) ??
    dataset.users.find((u) => u.loginEmail !== null)
  )
}
