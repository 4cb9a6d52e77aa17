/** A bad request to the review server: an ExorayError that also carries the HTTP status to answer with. */
import { ExorayError } from '../core/errors.js';

export class RequestError extends ExorayError {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super('E_USAGE', `serve: ${message}`);
  }
}
