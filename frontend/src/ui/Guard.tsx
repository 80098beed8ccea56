/** No blank page (R45): if drawing a page ever fails, it says so in words instead of showing nothing. */
import { Component } from 'preact';
import type { ComponentChildren } from 'preact';

export class Guard extends Component<{ text: string; children: ComponentChildren }, { failed: boolean }> {
  state = { failed: false };

  componentDidCatch(error: unknown): void {
    console.error(error);
    this.setState({ failed: true });
  }

  render() {
    return this.state.failed ? (
      <p class="error" role="alert" data-testid="page-error">
        {this.props.text}
      </p>
    ) : (
      this.props.children
    );
  }
}
