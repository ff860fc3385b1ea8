import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Put, Query } from '@nestjs/common';
import { Auth } from '../../platform/auth/auth.decorator';
import { Ctx } from '../../platform/context/ctx.decorator';
import type { RequestContext } from '../../platform/context/request-context';
import {
  CreateCustomerAddressRequestDto, CreateCustomerRequestDto, ListCustomersQueryDto, UpdateCustomerAddressRequestDto, UpdateCustomerRequestDto,
} from '../../generated/request-dtos';
import { dateFilter } from '../../platform/http/date-filter';
import { pageQueryOf, sortOf } from '../../platform/pagination/page-query';
import type { CustomerFilters } from './customers.repository';
import { CustomersService } from './customers.service';

function filtersOf(query: ListCustomersQueryDto): CustomerFilters {
  return {
    email: query.email,
    status: query.status,
    name: query.name,
    tags: query.tags,
    accountRefId: query.account_ref_id,
    createdFrom: dateFilter(query.created_from),
    createdTo: dateFilter(query.created_to),
  };
}

@Controller('customers')
export class CustomersController {
  constructor(private readonly customers: CustomersService) {}

  @Auth('customers', 'read')
  @Get()
  list(@Ctx() ctx: RequestContext, @Query() query: ListCustomersQueryDto) {
    return this.customers.list(ctx, pageQueryOf(query), sortOf(query, { sort: 'created_at', order: 'desc' }), filtersOf(query));
  }

  @Auth('customers', 'write')
  @Post()
  create(@Ctx() ctx: RequestContext, @Body() body: CreateCustomerRequestDto) {
    return this.customers.create(ctx, body);
  }

  @Auth('customers', 'read', { roles: ['owner', 'admin', 'staff', 'customer'] })
  @Get(':id')
  get(@Ctx() ctx: RequestContext, @Param('id') id: string) {
    return this.customers.get(ctx, id);
  }

  @Auth('customers', 'write')
  @Patch(':id')
  update(@Ctx() ctx: RequestContext, @Param('id') id: string, @Body() body: UpdateCustomerRequestDto) {
    return this.customers.update(ctx, id, body);
  }

  @Auth('customers', 'write')
  @Put(':id')
  replace(@Ctx() ctx: RequestContext, @Param('id') id: string, @Body() body: UpdateCustomerRequestDto) {
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
  addAddress(@Ctx() ctx: RequestContext, @Param('id') id: string, @Body() body: CreateCustomerAddressRequestDto) {
    return this.customers.addAddress(ctx, id, body);
  }

  @Auth('customers', 'write')
  @Patch(':id/addresses/:address_id')
  updateAddress(
    @Ctx() ctx: RequestContext,
    @Param('id') id: string,
    @Param('address_id') addressId: string,
    @Body() body: UpdateCustomerAddressRequestDto,
  ) {
    return this.customers.updateAddress(ctx, id, addressId, body);
  }

  @Auth('customers', 'write')
  @Put(':id/addresses/:address_id')
  replaceAddress(
    @Ctx() ctx: RequestContext,
    @Param('id') id: string,
    @Param('address_id') addressId: string,
    @Body() body: UpdateCustomerAddressRequestDto,
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
