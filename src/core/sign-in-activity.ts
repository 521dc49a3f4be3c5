import { toErrorDetail, type OAuthErrorDetail } from './errors.js';

/** What a {@link SignInActivity} tells its session. */
export interface SignInActivityListener {
  /** `active` changed: the element shows it (`status="pending"`, `aria-busy`). */
  changed(): void;
  failed(error: OAuthErrorDetail): void;
}

/**
 * The one sign-in of a login that is under way: preparing the request until the browser is
 * sent to the provider, the popup while it is open, the code exchange. A second click
 * meanwhile starts nothing, so no second popup opens and no second code is spent.
 */
export class SignInActivity {
  #active = false;
  readonly #listener: SignInActivityListener;

  constructor(listener: SignInActivityListener) {
    this.#listener = listener;
  }

  get active(): boolean {
    return this.#active;
  }

  /**
   * Runs `step` as the sign-in under way, or does nothing while another is. `step` starts
   * synchronously, still inside the caller's click (popups need that). What it throws is
   * reported as an error.
   */
  async run(step: () => Promise<void>): Promise<void> {
    if (this.#active) return;
    this.#set(true);
    try {
      await step();
    } catch (error) {
      this.#listener.failed(toErrorDetail(error));
    } finally {
      this.#set(false);
    }
  }

  #set(active: boolean): void {
    this.#active = active;
    this.#listener.changed();
  }
}
