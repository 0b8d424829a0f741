import { Matches } from 'class-validator';

/** PostgreSQL text cannot hold a NUL character; reject it at the edge with the field's name. */
export const NoNulCharacters = (): PropertyDecorator =>
  // eslint-disable-next-line no-control-regex -- matching the NUL character is the point
  Matches(/^[^\u0000]*$/, { message: ({ property }) => `${property} must not contain NUL characters` });
