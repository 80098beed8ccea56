/** The sign-in screen: the local stack's demo users, or the Cognito hosted UI's button. */
import type { DevUser } from '../api/types';
import { t } from '../texts/staff';

export interface SignInProps {
  users: DevUser[] | null;
  cognito: boolean;
  busy: boolean;
  error: string | null;
  onUser(user: DevUser): void;
  onCognito(): void;
}

export function SignIn({ users, cognito, busy, error, onUser, onCognito }: SignInProps) {
  return (
    <main class="signin">
      <h2>{t.signInTitle}</h2>
      {cognito ? (
        <button type="button" class="btn btn-primary btn-large" onClick={onCognito}>
          {t.signInCognito}
        </button>
      ) : (
        <>
          <p>{t.signInLocalIntro}</p>
          <ul class="user-list">
            {(users ?? []).map((user) => (
              <li key={user.employee_id}>
                <button type="button" class="btn btn-block" data-employee-id={user.employee_id} disabled={busy} onClick={() => onUser(user)}>
                  {t.signInAs(user.name, user.role)}
                </button>
              </li>
            ))}
          </ul>
        </>
      )}
      <p class="error" role="alert">
        {error ?? ''}
      </p>
    </main>
  );
}
