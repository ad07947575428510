/**
 * A problem found inside the pickle stream. The machine catches it and throws a
 * `MetaflowError('corrupt_data')` that names the opcode and byte offset, so the code that
 * finds the problem only has to describe it.
 */
export class PickleFault extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PickleFault';
  }
}
