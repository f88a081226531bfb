/**
 * The identity service: authentication (with failed-attempt rate limits), tokens, the directory of projects,
 * users and roles, application credentials, and the first-start bootstrap of the admin account.
 */
import { AppCredentials } from './app-credentials.js';
import type { AuthRequest } from './auth-request.js';
import { IdentityDirectory } from './directory.js';
import { IdentityError, tooManyRequests } from './errors.js';
import { DEFAULT_SCRYPT_COST, dummyHash, type ScryptCost } from './passwords.js';
import { FailureRateLimiter, type FailureLimit } from './rate-limiter.js';
import type { IdentityStore } from './store.js';
import type { IssuedToken, TokenInfo } from './token-info.js';
import { TokenRegistry } from './token-registry.js';
import { CredentialVerifier } from './verify-credentials.js';

/** Default token lifetime: one hour (Keystone's default). */
export const DEFAULT_TOKEN_TTL_SECONDS = 3600;
/** Failed sign-ins allowed per user name: 5 in 5 minutes. */
export const DEFAULT_USER_FAILURE_LIMIT: FailureLimit = { failures: 5, windowMs: 5 * 60_000 };
/** Failed sign-ins allowed per client address: 20 in 5 minutes. */
export const DEFAULT_ADDRESS_FAILURE_LIMIT: FailureLimit = { failures: 20, windowMs: 5 * 60_000 };
/** How long a token validation is reused from memory (changes made by other processes show within this). */
export const DEFAULT_VALIDATION_CACHE_MS = 5_000;

/** Options of {@link IdentityService}. */
export interface IdentityOptions {
  /** Token lifetime in seconds (default 3600). */
  tokenTtlSeconds?: number;
  /** Validation cache lifetime in milliseconds (default 5000). */
  validationCacheMs?: number;
  userFailureLimit?: FailureLimit;
  addressFailureLimit?: FailureLimit;
  /** scrypt cost of new password and secret hashes (default N=2^15, r=8, p=1). */
  hashCost?: ScryptCost;
  /** Clock in milliseconds (tests). */
  now?: () => number;
}

/** The names the bootstrap creates, as `keystone-manage bootstrap`. */
export const BOOTSTRAP_NAMES = { project: 'admin', user: 'admin', role: 'admin' } as const;

/** What {@link IdentityService.bootstrap} created (false: it already existed and was left as it was). */
export interface BootstrapResult {
  project: boolean;
  user: boolean;
}

/** The identity service. */
export class IdentityService {
  readonly tokens: TokenRegistry;
  readonly directory: IdentityDirectory;
  readonly appCredentials: AppCredentials;
  readonly #verifier: CredentialVerifier;
  readonly #limiter: FailureRateLimiter;
  readonly #limits: { user: FailureLimit; address: FailureLimit };

  constructor(
    private readonly store: IdentityStore,
    options: IdentityOptions = {},
  ) {
    const now = options.now ?? Date.now;
    const hashCost = options.hashCost ?? DEFAULT_SCRYPT_COST;
    this.tokens = new TokenRegistry(store, {
      ttlMs: (options.tokenTtlSeconds ?? DEFAULT_TOKEN_TTL_SECONDS) * 1000,
      cacheMs: options.validationCacheMs ?? DEFAULT_VALIDATION_CACHE_MS,
      now,
    });
    this.directory = new IdentityDirectory(store, this.tokens, hashCost, now);
    this.appCredentials = new AppCredentials(store, this.tokens, hashCost, now);
    this.#verifier = new CredentialVerifier(store, this.tokens, dummyHash(hashCost), now);
    this.#limiter = new FailureRateLimiter(now);
    this.#limits = {
      user: options.userFailureLimit ?? DEFAULT_USER_FAILURE_LIMIT,
      address: options.addressFailureLimit ?? DEFAULT_ADDRESS_FAILURE_LIMIT,
    };
  }

  /**
   * Verifies credentials and issues a token. Failed attempts count against the client address and the user
   * name (or credential) tried, whether or not it exists; past a limit the answer is 429 with a retry delay.
   * @throws IdentityError 401 (any wrong part, one message), 429
   */
  async authenticate(request: AuthRequest): Promise<IssuedToken> {
    const keys = await this.#limitKeys(request);
    const wait = this.#limiter.retryAfterSeconds(keys);
    if (wait > 0) throw tooManyRequests(wait);
    let issued: IssuedToken;
    try {
      issued = await this.tokens.issue(await this.#verifier.verify(request));
    } catch (err) {
      if (err instanceof IdentityError && err.status === 401) this.#limiter.recordFailure(keys);
      throw err;
    }
    for (const key of keys.keys()) if (!key.startsWith('address:')) this.#limiter.clear(key);
    return issued;
  }

  /** What a token stands for now; undefined if it is not valid. */
  validate(token: string): Promise<TokenInfo | undefined> {
    return this.tokens.validate(token);
  }

  /** Revokes a token; false if it was not a valid one. */
  revoke(token: string): Promise<boolean> {
    return this.tokens.revoke(token);
  }

  /**
   * Creates project `admin`, user `admin` (with this password) and grants it role `admin` there, each only if
   * missing: an existing user's password is never reset (as `keystone-manage bootstrap`).
   */
  async bootstrap(adminPassword: string): Promise<BootstrapResult> {
    // Several API processes may start together on one database: a create that loses the race (a conflict) is
    // answered by reading what the winner created.
    const once = async <T>(find: () => Promise<T | undefined>, create: () => Promise<T>) => {
      const found = await find();
      if (found) return { value: found, created: false };
      try {
        return { value: await create(), created: true };
      } catch (e) {
        const raced = await find();
        if (raced) return { value: raced, created: false };
        throw e;
      }
    };
    const project = await once(
      () => this.store.findProjectByName(BOOTSTRAP_NAMES.project),
      () => this.directory.createProject({ name: BOOTSTRAP_NAMES.project }),
    );
    const user = await once(
      () => this.store.findUserByName(BOOTSTRAP_NAMES.user),
      () =>
        this.directory.createUser({
          name: BOOTSTRAP_NAMES.user,
          password: adminPassword,
          defaultProjectId: project.value.id,
        }),
    );
    try {
      await this.directory.grant(project.value.id, user.value.id, BOOTSTRAP_NAMES.role);
    } catch (e) {
      // Granted by a concurrent bootstrap: fine when the assignment is there now.
      if (!(await this.directory.hasGrant(project.value.id, user.value.id, BOOTSTRAP_NAMES.role))) throw e;
    }
    return { project: project.created, user: user.created };
  }

  /** The rate-limit keys of an attempt: its address, and the user name or credential it tries. */
  async #limitKeys(request: AuthRequest): Promise<Map<string, FailureLimit>> {
    const keys = new Map<string, FailureLimit>([[`address:${request.clientAddress}`, this.#limits.address]]);
    const { credential } = request;
    if (credential.method === 'password') {
      const ref = credential.user;
      // By id or by name, one user has one counter (an id of an unknown user counts on its own).
      const name = 'name' in ref ? ref.name : ((await this.store.getUser(ref.id))?.name ?? `#${ref.id}`);
      keys.set(`user:${name.toLowerCase()}`, this.#limits.user);
    } else if (credential.method === 'application_credential') {
      const user = credential.user && ('name' in credential.user ? credential.user.name : credential.user.id);
      keys.set(`credential:${credential.id ?? `${user}/${credential.name}`}`, this.#limits.user);
    }
    return keys;
  }
}
