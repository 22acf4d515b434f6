import { type Static, Type } from '@sinclair/typebox';
import { ID_PATTERN } from '../event.js';
import { AreaCode, Millis, okReply } from './shapes.js';

/** A user as the REST API shows one: never a password hash or a TOTP secret. */
export const PublicUserSchema = Type.Object(
  {
    id: Type.String(),
    username: Type.String(),
    displayName: Type.String(),
    role: Type.String(),
    roleTitle: Type.Object({ zh: Type.String(), en: Type.String() }, { additionalProperties: false }),
    areaCode: AreaCode,
    /** Whether the role logs in with a TOTP code as well. */
    secondFactor: Type.Boolean(),
  },
  { additionalProperties: false },
);
export type PublicUser = Static<typeof PublicUserSchema>;

export const MeReplySchema = okReply({ user: PublicUserSchema, expiresAt: Millis });
export const UsersReplySchema = okReply({ users: Type.Array(PublicUserSchema) });

/** Enrollment codes waiting to be used (the codes themselves are never shown again). */
export const PendingEnrollmentReplySchema = okReply({
  pending: Type.Array(
    Type.Object(
      {
        gatewayId: Type.String({ pattern: ID_PATTERN }),
        areaCode: AreaCode,
        createdBy: Type.String(),
        expiresAt: Millis,
      },
      { additionalProperties: false },
    ),
  ),
});

/** `/api/openapi.json`: checked only for its frame; its paths are the route table itself. */
export const OpenApiDocumentSchema = Type.Object(
  {
    openapi: Type.Literal('3.1.0'),
    info: Type.Object({ title: Type.String(), version: Type.String() }),
    paths: Type.Record(Type.String(), Type.Object({})),
  },
  { additionalProperties: true },
);
