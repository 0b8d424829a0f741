import { ApiProperty } from '@nestjs/swagger';
import { NoNulCharacters } from '@todo/http-api';
import { IsEmail, IsString, Length, MaxLength } from 'class-validator';

export class RegisterUserRequest {
  @ApiProperty({ format: 'email', maxLength: 320, description: 'Stored in lower case; unique.', example: 'ada@example.com' })
  @IsEmail()
  @MaxLength(320)
  email: string;

  @ApiProperty({ minLength: 1, maxLength: 200, example: 'Ada Lovelace' })
  @IsString()
  @Length(1, 200)
  @NoNulCharacters()
  name: string;

  @ApiProperty({
    format: 'password',
    minLength: 12,
    maxLength: 256,
    description: 'Stored only as a scrypt hash; exchanged for a token at POST /auth/token.',
    example: 'correct horse battery staple',
  })
  @IsString()
  @Length(12, 256)
  @NoNulCharacters()
  password: string;
}

export class UserResponse {
  @ApiProperty({ type: 'integer', example: 2 }) id: number;
  @ApiProperty({ description: 'In lower case.', example: 'ada@example.com' }) email: string;
  @ApiProperty({ example: 'Ada Lovelace' }) name: string;
}
