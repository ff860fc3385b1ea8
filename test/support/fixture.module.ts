import { Body, Controller, Get, Module, Post } from '@nestjs/common';
import { IsInt, IsString, Min } from 'class-validator';
import { Public } from '../../src/platform/auth/auth.decorator';

class FixtureBody {
  @IsString() name: string;
  @IsInt() @Min(0) quantity: number;
}

/**
 * Routes that exist only in tests, to prove what the platform does with failures no real route
 * should produce on purpose (an unexpected exception) or with bodies of a known shape.
 */
@Controller('__fixture')
class FixtureController {
  @Public()
  @Get('boom')
  boom(): never {
    throw new Error('relation "secret_internal_table" does not exist');
  }

  @Public()
  @Post('echo')
  echo(@Body() body: FixtureBody) {
    return body;
  }
}

@Module({ controllers: [FixtureController] })
export class FixtureModule {}
