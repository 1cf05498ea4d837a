/** A Python generator seen from the page: an async iterator that pulls one value per `next()`. */
export class PythonIterator {
  #pull;
  #done = false;
  #last = /** @type {Promise<unknown>} */ (Promise.resolve()); // pulls run one after another, as a generator can only go on

  constructor(pull) {
    this.#pull = pull;
  }

  [Symbol.asyncIterator]() {
    return this;
  }

  next() {
    const step = this.#last.then(() => this.#step());
    this.#last = step.catch(() => {});
    return step;
  }

  async #step() {
    if (this.#done) return { done: true, value: undefined };
    try {
      const step = await this.#pull("next");
      this.#done = step.done;
      return { done: step.done, value: step.done ? undefined : step.value };
    } catch (error) {
      this.#done = true;
      throw error;
    }
  }

  async return(value) {
    if (!this.#done) {
      this.#done = true;
      await this.#pull("close");
    }
    return { done: true, value };
  }
}
