import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Put, Query } from '@nestjs/common';
import { Auth } from '../../platform/auth/auth.decorator';
import { Ctx } from '../../platform/context/ctx.decorator';
import type { RequestContext } from '../../platform/context/request-context';
import { InvalidRequestError } from '../../platform/errors/domain-errors';
import { dateParam } from '../../platform/http/query-params';
import { parsePageQuery, parseSort } from '../../platform/pagination/page-query';
import { CUSTOMER_SORTS, type CustomerFilters } from './customers.repository';
import { CUSTOMER_STATUSES, type CustomerStatus } from './entities/customer.entity';
import { CustomersService } from './customers.service';
import { CreateCustomerDto, CustomerAddressDto, UpdateCustomerAddressDto, UpdateCustomerDto } from './dto/customers.dto';

/** An optional free-text filter; a repeated or over-long parameter → 400 naming it. */
function textParam(query: Record<string, unknown>, name: string, maxLength = 320): string | undefined {
  const raw = query[name];
  if (raw === undefined || raw === '') return undefined;
  if (typeof raw !== 'string' || raw.length > maxLength) {
    throw new InvalidRequestError(`${name} must be a single value of at most ${maxLength} characters`, name);
  }
  return raw;
}

function parseFilters(query: Record<string, unknown>): CustomerFilters {
  const tagsRaw = textParam(query, 'tags', 20 * 51);
  const tags = tagsRaw?.split(',').map((t) => t.trim()).filter((t) => t.length > 0);
  if (tags && (tags.length > 20 || tags.some((t) => t.length > 50))) {
    throw new InvalidRequestError('tags must be at most 20 comma-separated tags of at most 50 characters', 'tags');
  }
  const status = textParam(query, 'status', 20);
  if (status !== undefined && !(CUSTOMER_STATUSES as readonly string[]).includes(status)) {
    throw new InvalidRequestError(`status must be one of: ${CUSTOMER_STATUSES.join(', ')}`, 'status');
  }
  return {
    email: textParam(query, 'email'),
    status: status as CustomerStatus | undefined,
    name: textParam(query, 'name', 100),
    tags: tags && tags.length > 0 ? tags : undefined,
    accountRefId: textParam(query, 'account_ref_id', 128),
    createdFrom: dateParam(query, 'created_from'),
    createdTo: dateParam(query, 'created_to'),
  };
}

@Controller('customers')
export class CustomersController {
  constructor(private readonly customers: CustomersService) {}

  @Auth('customers', 'read')
  @Get()
  list(@Ctx() ctx: RequestContext, @Query() query: Record<string, unknown>) {
    const sort = parseSort(query, CUSTOMER_SORTS, { sort: 'created_at', order: 'desc' });
    const filters = parseFilters(query);
    return this.customers.list(ctx, parsePageQuery(query), sort, filters);
  }

  @Auth('customers', 'write')
  @Post()
  create(@Ctx() ctx: RequestContext, @Body() body: CreateCustomerDto) {
    return this.customers.create(ctx, body);
  }

  @Auth('customers', 'read', { roles: ['owner', 'admin', 'staff', 'customer'] })
  @Get(':id')
  get(@Ctx() ctx: RequestContext, @Param('id') id: string) {
    return this.customers.get(ctx, id);
  }

  @Auth('customers', 'write')
  @Patch(':id')
  update(@Ctx() ctx: RequestContext, @Param('id') id: string, @Body() body: UpdateCustomerDto) {
    return this.customers.update(ctx, id, body);
  }

  @Auth('customers', 'write')
  @Put(':id')
  replace(@Ctx() ctx: RequestContext, @Param('id') id: string, @Body() body: UpdateCustomerDto) {
    return this.customers.update(ctx, id, body);
  }

  @Auth('customers', 'write')
  @Delete(':id')
  @HttpCode(204)
  async remove(@Ctx() ctx: RequestContext, @Param('id') id: string): Promise<void> {
    await this.customers.remove(ctx, id);
  }

  @Auth('customers', 'write')
  @Post(':id/addresses')
  addAddress(@Ctx() ctx: RequestContext, @Param('id') id: string, @Body() body: CustomerAddressDto) {
    return this.customers.addAddress(ctx, id, body);
  }

  @Auth('customers', 'write')
  @Patch(':id/addresses/:address_id')
  updateAddress(
    @Ctx() ctx: RequestContext,
    @Param('id') id: string,
    @Param('address_id') addressId: string,
    @Body() body: UpdateCustomerAddressDto,
  ) {
    return this.customers.updateAddress(ctx, id, addressId, body);
  }

  @Auth('customers', 'write')
  @Put(':id/addresses/:address_id')
  replaceAddress(
    @Ctx() ctx: RequestContext,
    @Param('id') id: string,
    @Param('address_id') addressId: string,
    @Body() body: UpdateCustomerAddressDto,
  ) {
    return this.customers.updateAddress(ctx, id, addressId, body);
  }

  @Auth('customers', 'write')
  @Delete(':id/addresses/:address_id')
  @HttpCode(204)
  async removeAddress(@Ctx() ctx: RequestContext, @Param('id') id: string, @Param('address_id') addressId: string): Promise<void> {
    await this.customers.removeAddress(ctx, id, addressId);
  }

  @Auth('customers', 'write')
  @Post(':id/addresses/:address_id/set-default')
  @HttpCode(200)
  setDefault(@Ctx() ctx: RequestContext, @Param('id') id: string, @Param('address_id') addressId: string) {
    return this.customers.setDefaultAddress(ctx, id, addressId);
  }
}
