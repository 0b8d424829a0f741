import { ApiProperty } from '@nestjs/swagger';
import { IsString, MaxLength } from 'class-validator';

export class IssueTokenRequest {
  @ApiProperty({ maxLength: 320, example: 'ada@example.com' })
  @IsString()
  @MaxLength(320)
  email: string;

  @ApiProperty({ format: 'password', maxLength: 256, example: 'correct horse battery staple' })
  @IsString()
  @MaxLength(256)
  password: string;
}

export class IssuedTokenResponse {
  @ApiProperty({ description: 'A signed JWT: send it as `Authorization: Bearer <access_token>` to every service.' })
  access_token: string;

  @ApiProperty({ enum: ['Bearer'] }) token_type: 'Bearer';

  @ApiProperty({ type: 'integer', description: 'Seconds until the token expires.', example: 900 })
  expires_in: number;
}
