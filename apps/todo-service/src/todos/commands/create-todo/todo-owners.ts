/**
 * What creating a todo needs to know about users. The todos context owns this port;
 * the users context implements it.
 */
export abstract class TodoOwners {
  abstract exists(userId: number): Promise<boolean>;
}
