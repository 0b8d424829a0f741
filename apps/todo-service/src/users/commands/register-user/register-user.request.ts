import { ApiProperty } from '@nestjs/swagger';
import { NoNulCharacters } from '@todo/http-api';
import { IsEmail, IsString, Length, MaxLength } from 'class-validator';

export class RegisterUserRequest {
  @ApiProperty({ example: 'ada@example.com' })
  @IsEmail()
  @MaxLength(320)
  email: string;

  @ApiProperty({ example: 'Ada Lovelace' })
  @IsString()
  @Length(1, 200)
  @NoNulCharacters()
  name: string;
}

export class UserResponse {
  @ApiProperty({ example: 2 }) id: number;
  @ApiProperty({ example: 'ada@example.com' }) email: string;
  @ApiProperty({ example: 'Ada Lovelace' }) name: string;
}
