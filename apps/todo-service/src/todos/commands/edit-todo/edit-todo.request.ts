import { ApiProperty } from '@nestjs/swagger';
import { NoNulCharacters } from '@todo/http-api';
import { IsString, Length, MaxLength } from 'class-validator';

export class EditTodoRequest {
  @ApiProperty({ minLength: 1, maxLength: 200, example: '测试事件驱动' })
  @IsString()
  @Length(1, 200)
  @NoNulCharacters()
  title: string;

  @ApiProperty({ maxLength: 2000, description: 'May be empty.', example: '学习EDA' })
  @IsString()
  @MaxLength(2000)
  @NoNulCharacters()
  description: string;
}
