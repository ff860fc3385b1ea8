import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Logger } from '@nestjs/common';
import { InvalidRequestError, NotFoundError } from '../errors/domain-errors';
import { sendError } from '../errors/all-exceptions.filter';
import { errorEnvelope } from './envelope';
import { newId } from '../ids/ids';
import { assertStorableInput } from './input-guard';

const logger = new Logger('HttpInput');

/**
 * Fastify answers a few malformed requests before any route or hook runs (an undecodable
 * %-escape, a path parameter over the length limit). Both are ids no resource can have, so they
 * are the contract's "malformed id → 404", in the envelope like every other answer.
 */
export function frameworkErrorHandler(error: Error & { code?: string }, request: FastifyRequest, reply: FastifyReply): void {
  reply.header('X-Request-Id', request.id);
  const mapped =
    error.code === 'FST_ERR_BAD_URL' || error.code === 'FST_ERR_MAX_PARAM_LENGTH'
      ? new NotFoundError('Resource')
      : new InvalidRequestError('Invalid request');
  sendError(reply, request, mapped, logger);
}

/**
 * Errors Node's HTTP parser raises before Fastify sees a request (headers too large, a malformed
 * request line, a client that never finished): the envelope is written to the socket by hand,
 * with a minted request id, since there is no request object to answer through.
 */
export function clientErrorHandler(error: Error & { code?: string }, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const status = error.code === 'HPE_HEADER_OVERFLOW' ? 431 : error.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : 400;
  const message =
    status === 431 ? 'Request headers are too large' : status === 408 ? 'The request was not received in time' : 'Malformed HTTP request';
  const requestId = newId('req');
  const body = JSON.stringify(errorEnvelope(requestId, 'invalid_request', message));
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: application/json; charset=utf-8\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\nX-Request-Id: ${requestId}\r\nConnection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy(error);
}

/**
 * One place that refuses unstorable text and over-deep nesting in every route's body, query and
 * path parameters, before validation pipes or services see them. Only JSON is accepted as a body
 * (and the hosted pages' forms), so the plain-text parser Fastify ships with is removed: → 415.
 */
export function installInputGuards(fastify: FastifyInstance): void {
  fastify.removeContentTypeParser('text/plain');
  fastify.addHook('preValidation', async (request) => {
    assertStorableInput('params', request.params);
    assertStorableInput('query', request.query);
    assertStorableInput('body', request.body);
  });
}
